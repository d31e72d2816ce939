package dev.backfill.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run as the dispatcher recorded it, once, in {@code _backfill/runs/<runId>/run.json}: what was asked for and the
 * plan. The plan is the windows in send order; workers record each window's steps, so dispatch writes no object per
 * window.
 *
 * @param trigger        {@code backfill} for a requested range, {@code schedule} for scheduled days
 * @param start          first day of the requested range
 * @param end            day after the requested range (exclusive)
 * @param labels         the windows to run, in send order
 * @param first          label of the oldest window to run
 * @param last           label of the newest window to run
 * @param skipped        windows of the range left out by the reprocess policy, counted by reason
 * @param idempotencyKey the caller's key that makes a repeated request return this run, if any
 * @param fingerprint    the request's identity, to tell a repeated request from a different one with the same key
 * @param publish        {@code direct} or {@code staged} ({@code dev.backfill.dispatch.Publish}); {@code direct} for
 *                       a record written before the field existed
 * @param inputsAsOf     the instant whose input versions the windows read, or {@code null} for the current ones
 */
public record RunRecord(
        int v,
        String runId,
        String job,
        String trigger,
        String start,
        String end,
        int windows,
        List<String> labels,
        String first,
        String last,
        long fence,
        String zone,
        String codeVersion,
        Instant createdAt,
        String reprocess,
        String order,
        Map<String, Integer> skipped,
        String idempotencyKey,
        String fingerprint,
        String publish,
        Instant inputsAsOf) {

    public static final int VERSION = 2;
    /** Windows per sent-progress marker: a resumed dispatch sends again at most this many windows already sent. */
    public static final int CHUNK = 100;

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(createdAt, "createdAt");
        labels = labels == null ? List.of() : List.copyOf(labels);
        skipped = skipped == null ? Map.of() : Map.copyOf(skipped);
        publish = publish == null ? "direct" : publish;
        if (windows != labels.size()) {
            throw new IllegalArgumentException("Run " + runId + " counts " + windows + " windows but lists "
                    + labels.size());
        }
    }

    /** How many sent-progress chunks the plan has. */
    public int chunks() {
        return (labels.size() + CHUNK - 1) / CHUNK;
    }

    /** The labels of chunk {@code index}, in send order. */
    public List<String> chunk(int index) {
        return labels.subList(index * CHUNK, Math.min(labels.size(), (index + 1) * CHUNK));
    }
}
