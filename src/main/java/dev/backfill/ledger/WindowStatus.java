package dev.backfill.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded step of one window of a run, stored under {@code _backfill/runs/<runId>/windows/<label>/} with a key
 * that spells its state (see {@link WindowEvent}).
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

    /** A window whose message was consumed without work because its run was cancelled. */
    public static WindowStatus cancelled(String runId, String label, int attempts, Instant at) {
        return new WindowStatus(runId, label, WindowState.CANCELLED, attempts, at, at, 0L, null,
                "run cancelled", null);
    }

    public static WindowStatus running(String runId, String label, int attempts, Instant startedAt) {
        return new WindowStatus(runId, label, WindowState.RUNNING, attempts, startedAt, null, null, null, null, null);
    }

    public WindowStatus succeeded(Instant finishedAt, long rows, String manifestVersionId) {
        return finish(WindowState.SUCCEEDED, finishedAt, rows, null, manifestVersionId);
    }

    /** Computed and staged for the run's publish; {@code manifestVersionId} is the staged manifest's version. */
    public WindowStatus staged(Instant finishedAt, long rows, String manifestVersionId) {
        return finish(WindowState.STAGED, finishedAt, rows, null, manifestVersionId);
    }

    /** A step recorded by {@code publish} or {@code discard}, not by a worker: no attempt of its own. */
    public static WindowStatus settled(String runId, String label, WindowState state, Instant at, Long rows,
                                       String note, String manifestVersionId) {
        return new WindowStatus(runId, label, state, 0, null, at, null, rows, note, manifestVersionId);
    }

    public WindowStatus superseded(Instant finishedAt, String byRunId) {
        return finish(WindowState.SUPERSEDED, finishedAt, null, "superseded by run " + byRunId, null);
    }

    public WindowStatus failed(Instant finishedAt, String error) {
        return finish(WindowState.FAILED, finishedAt, null, error, null);
    }

    /** When this step happened: when the attempt finished, or started for one still running. */
    public Instant at() {
        if (finishedAt != null) {
            return finishedAt;
        }
        if (startedAt != null) {
            return startedAt;
        }
        throw new IllegalStateException("Window " + label + " of run " + runId + " has no time to record");
    }

    private WindowStatus finish(WindowState to, Instant finishedAt, Long rowCount, String why, String manifest) {
        Long duration = startedAt == null ? null : finishedAt.toEpochMilli() - startedAt.toEpochMilli();
        return new WindowStatus(runId, label, to, attempts, startedAt, finishedAt, duration, rowCount, why, manifest);
    }
}
