package dev.backfill.worker;

/** How one window delivery ended. */
public record WindowOutcome(String label, Result result, long rows, int deletedObjects) {

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
