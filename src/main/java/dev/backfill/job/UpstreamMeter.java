package dev.backfill.job;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what the source readers of one process ask of the upstream: requests (each permit of the rate budget, list
 * pages included) and the requests the upstream refused for its rate. Thread-safe. A function instance runs one
 * window at a time, so the difference of two {@link #snapshot() snapshots} taken around a window is that window's.
 */
public final class UpstreamMeter {

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    /** {@code budget}, counting every permit it gives and every throttle it is told of here. */
    public RateBudget metering(RateBudget budget) {
        Objects.requireNonNull(budget, "budget");
        return new RateBudget() {
            @Override
            public void acquire() {
                budget.acquire();
                requests.incrementAndGet();
            }

            @Override
            public boolean tryAcquire(Duration within) {
                boolean granted = budget.tryAcquire(within);
                if (granted) {
                    requests.incrementAndGet();
                }
                return granted;
            }

            @Override
            public void throttled() {
                throttled.incrementAndGet();
                budget.throttled();
            }
        };
    }

    /** The counts so far. */
    public Counts snapshot() {
        return new Counts(requests.get(), throttled.get());
    }

    /** Upstream requests made and requests refused for rate. */
    public record Counts(long requests, long throttled) {

        public static final Counts NONE = new Counts(0, 0);

        public Counts {
            if (requests < 0 || throttled < 0) {
                throw new IllegalArgumentException(
                        "Upstream counts must not be negative: requests " + requests + ", throttled " + throttled);
            }
        }

        /** What was counted since {@code earlier}, a snapshot of the same meter. */
        public Counts since(Counts earlier) {
            return new Counts(requests - earlier.requests, throttled - earlier.throttled);
        }
    }
}
