package dev.backfill.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One window of a run, as recorded in {@code _backfill/runs/<runId>/windows/<label>.json}.
 *
 * @param attempts          deliveries of the window's message so far (SQS ApproximateReceiveCount)
 * @param durationMillis    time the last attempt took, once it finished
 * @param error             what failed, for a failed window; never payload data
 * @param manifestVersionId the manifest version this window committed, once succeeded
 */
public record WindowStatus(
        String runId,
        String label,
        WindowState state,
        int attempts,
        Instant startedAt,
        Instant finishedAt,
        Long durationMillis,
        Long rows,
        String error,
        String manifestVersionId) {

    public WindowStatus {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(state, "state");
    }

    public static WindowStatus queued(String runId, String label) {
        return new WindowStatus(runId, label, WindowState.QUEUED, 0, null, null, null, null, null, null);
    }

    public static WindowStatus running(String runId, String label, int attempts, Instant startedAt) {
        return new WindowStatus(runId, label, WindowState.RUNNING, attempts, startedAt, null, null, null, null, null);
    }

    public WindowStatus succeeded(Instant finishedAt, long rows, String manifestVersionId) {
        return finish(WindowState.SUCCEEDED, finishedAt, rows, null, manifestVersionId);
    }

    public WindowStatus superseded(Instant finishedAt, String byRunId) {
        return finish(WindowState.SUPERSEDED, finishedAt, null, "superseded by run " + byRunId, null);
    }

    public WindowStatus failed(Instant finishedAt, String error) {
        return finish(WindowState.FAILED, finishedAt, null, error, null);
    }

    private WindowStatus finish(WindowState to, Instant finishedAt, Long rowCount, String why, String manifest) {
        Long duration = startedAt == null ? null : finishedAt.toEpochMilli() - startedAt.toEpochMilli();
        return new WindowStatus(runId, label, to, attempts, startedAt, finishedAt, duration, rowCount, why, manifest);
    }
}
