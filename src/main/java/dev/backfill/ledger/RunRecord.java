package dev.backfill.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A run as the dispatcher recorded it in {@code _backfill/runs/<runId>/run.json}: what was asked for and what was
 * planned.
 *
 * @param trigger {@code backfill} for a requested range, {@code schedule} for a scheduled day
 * @param first   label of the oldest window
 * @param last    label of the newest window
 */
public record RunRecord(
        int v,
        String runId,
        String job,
        String trigger,
        String start,
        String end,
        int windows,
        String first,
        String last,
        long fence,
        String zone,
        String codeVersion,
        Instant createdAt) {

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
