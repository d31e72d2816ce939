package dev.backfill.job;

/**
 * A share of the upstream's request rate. The global budget of R requests per second is split evenly over at most
 * C concurrent workers, so each worker's reader spends R / C per second.
 */
public interface RateBudget {

    /** Blocks until one more upstream request may be made. */
    void acquire();

    /** A budget that never waits. */
    static RateBudget unlimited() {
        return () -> { };
    }
}
