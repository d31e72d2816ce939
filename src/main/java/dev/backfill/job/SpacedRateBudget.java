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
        this.intervalNanos = Math.max(1, (long) (1_000_000_000L / permitsPerSecond));
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    /**
     * The budget of one of {@code workers} concurrent workers sharing {@code requestsPerSecond}; unlimited when the
     * global rate is zero or less.
     */
    public static RateBudget shareOf(double requestsPerSecond, int workers, Ticker ticker) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        return requestsPerSecond <= 0 ? RateBudget.unlimited()
                : new SpacedRateBudget(requestsPerSecond / workers, ticker);
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
