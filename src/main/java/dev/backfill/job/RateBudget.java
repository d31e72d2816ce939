package dev.backfill.job;

import java.time.Duration;

/**
 * A share of the upstream's request rate. The global budget of R requests per second is split evenly over at most
 * C concurrent workers, so each worker's reader spends R / C per second.
 */
public interface RateBudget {

    /** Blocks until one more upstream request may be made. */
    void acquire();

    /**
     * Takes one permit if it comes within {@code within}, waiting for it; otherwise returns false at once and takes
     * nothing, so a caller short of time can give up without spending budget. The default waits and takes it.
     */
    default boolean tryAcquire(Duration within) {
        acquire();
        return true;
    }

    /**
     * Tells the budget that the upstream refused a request for its rate (HTTP 429 or 503 SlowDown). A budget may slow
     * down or count it; the default does neither.
     */
    default void throttled() {
    }

    /** A budget that never waits. */
    static RateBudget unlimited() {
        return () -> { };
    }
}
