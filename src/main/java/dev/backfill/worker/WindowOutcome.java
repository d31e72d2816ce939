package dev.backfill.worker;

/**
 * How one window delivery ended. {@code cleanupFailure} is set when the window is committed but the cleanup after the
 * commit failed, so objects the manifest does not list may be left under the partition's prefix.
 */
public record WindowOutcome(String label, Result result, long rows, int deletedObjects, String cleanupFailure) {

    public WindowOutcome(String label, Result result, long rows, int deletedObjects) {
        this(label, result, rows, deletedObjects, null);
    }

    /** Whether another delivery should finish the cleanup after the commit (it does not re-run the job). */
    public boolean cleanupPending() {
        return cleanupFailure != null;
    }

    public enum Result {
        /** This delivery replaced the partition. */
        COMMITTED,
        /** Another delivery of the same message had committed it; nothing changed. */
        ALREADY_COMMITTED,
        /** A newer run owns the partition; nothing changed. */
        SUPERSEDED,
        /** This delivery (or an earlier one) staged the window for its run; the live partition is untouched. */
        STAGED,
        /** The run was cancelled: the message was consumed without work. */
        CANCELLED
    }
}
