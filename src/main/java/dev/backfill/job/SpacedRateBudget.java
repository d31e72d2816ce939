package dev.backfill.job;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate budget that spaces requests evenly, {@code 1 / permitsPerSecond} apart, with no burst: the steadiest load an
 * upstream can get at a given rate. Permits are never closer than the interval, measured from when each was given. Thread-safe; waiting callers queue up in arrival order of their reservations.
 */
public final class SpacedRateBudget implements RateBudget {

    /** The time source and the way to wait; injected so tests need not wait. */
    public interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        static Ticker system() {
            return new Ticker() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void sleepNanos(long nanos) throws InterruptedException {
                    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                }
            };
        }
    }

    private final long intervalNanos;
    private final Ticker ticker;
    private long nextFree;
    private boolean started;

    public SpacedRateBudget(double permitsPerSecond, Ticker ticker) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("permitsPerSecond must be positive and finite: " + permitsPerSecond);
        }
        // Rounded up: an interval a fraction of a nanosecond short lets a whole rate's worth plus one into a second
        // (at 3/s, 333,333,333 ns apart, the fourth permit lands at 999,999,999 ns).
        this.intervalNanos = Math.max(1, (long) Math.ceil(1_000_000_000d / permitsPerSecond));
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * The budget of one of {@code workers} concurrent workers sharing {@code requestsPerSecond}; unlimited when the
     * global rate is zero or less. See {@link #perWorker(double, int)} for its rate.
     */
    public static RateBudget shareOf(double requestsPerSecond, int workers, Ticker ticker) {
        return requestsPerSecond <= 0 ? RateBudget.unlimited()
                : new SpacedRateBudget(perWorker(requestsPerSecond, workers), ticker);
    }

    /**
     * The rate of each of {@code workers} workers sharing {@code requestsPerSecond} R: the whole permits per second
     * of R / C, rounded down. Workers space their permits independently, so in the worst case all of them start a
     * second together, and a worker spaced at a fraction of a permit per second gets the next whole one into it
     * (at R = 100, C = 3 each would take 34 in a second, 102 together): only whole shares keep every second within R.
     * Below one request per second per worker there is no whole share: each worker then takes R / C as it is, one
     * request every C / R seconds, so any C / R seconds hold at most C requests (R on average), though the C workers'
     * requests may fall in the same second.
     */
    public static double perWorker(double requestsPerSecond, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        double share = requestsPerSecond / workers;
        return share >= 1 ? Math.floor(share) : share;
    }

    @Override
    public void acquire() {
        waitFor(reserve(Long.MAX_VALUE));
    }

    @Override
    public boolean tryAcquire(Duration within) {
        long wait = reserve(within.toNanos());
        if (wait < 0) {
            return false;
        }
        waitFor(wait);
        return true;
    }

    /** Reserves the next permit if it comes within {@code maxWait}; its wait, or -1 when it would not. */
    private synchronized long reserve(long maxWait) {
        long now = ticker.nanoTime();
        if (!started || nextFree < now) {
            nextFree = now;
            started = true;
        }
        long wait = nextFree - now;
        if (wait > maxWait) {
            return -1;
        }
        nextFree += intervalNanos;
        return wait;
    }

    private void waitFor(long wait) {
        if (wait > 0) {
            try {
                ticker.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the upstream rate budget", e);
            }
        }
        settle();
    }

    /**
     * Spaces the next permit from when this one was really given: a caller that woke late (a loaded machine
     * oversleeps by milliseconds) would otherwise have its next request follow sooner than the interval, and the
     * upstream count more than the rate in some second.
     */
    private synchronized void settle() {
        nextFree = Math.max(nextFree, ticker.nanoTime() + intervalNanos);
    }
}
