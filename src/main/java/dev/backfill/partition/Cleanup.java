package dev.backfill.partition;

/**
 * What the best-effort cleanup after a commit did: {@code deleted} objects the manifest does not list, or, when it
 * failed ({@code failure} says why), nothing certain. A failed cleanup never undoes the commit; the caller has the
 * partition cleaned again (the worker asks for another delivery of the message, which finishes it without re-running
 * the job).
 */
public record Cleanup(int deleted, String failure) {

    public static Cleanup done(int deleted) {
        return new Cleanup(deleted, null);
    }

    public static Cleanup failed(String failure) {
        return new Cleanup(0, failure);
    }

    /** Whether objects the manifest does not list may be left under the partition's prefix. */
    public boolean pending() {
        return failure != null;
    }
}
