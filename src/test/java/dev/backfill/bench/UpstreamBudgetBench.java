package dev.backfill.bench;

import dev.backfill.bench.Figure.Verdict;
import dev.backfill.job.RateBudget;
import dev.backfill.job.SpacedRateBudget;
import dev.backfill.job.SpacedRateBudget.Ticker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * P5: C workers, each with its share of a global budget of R requests per second, always having another request to
 * make, against an in-process upstream that counts and timestamps what reaches it.
 */
final class UpstreamBudgetBench {

    private static final double RATE = 50;
    private static final int WORKERS = 8;
    private static final long SECONDS = 20;
    /** What one upstream request takes: a quick server. */
    private static final long SERVICE_NANOS = 2_000_000;

    Section run() throws InterruptedException {
        double unbudgeted = new CountingUpstream(1_000_000).drive(RateBudget::unlimited, 2) / 2.0;
        CountingUpstream upstream = new CountingUpstream(100_000);
        upstream.drive(() -> SpacedRateBudget.shareOf(RATE, WORKERS, Ticker.system()), SECONDS);
        long[] times = upstream.times();
        long budget = Math.round(RATE * SECONDS);
        long made = times.length;
        int busiest = busiestSecond(times);
        return new Section("P5", "upstream budget", String.format("%d threads, each with SpacedRateBudget.shareOf"
                + "(%.0f, %d, Ticker.system()), backlogged for %d s against an in-process upstream that takes 2 ms "
                + "a request and records when each arrives; baseline: the budget R·t, and the same threads without "
                + "a budget for 2 s", WORKERS, RATE, WORKERS, SECONDS, SECONDS), List.of(
                new Figure(String.format("P5 upstream requests, R = %.0f/s shared by C = %d, %d s", RATE, WORKERS,
                        SECONDS), String.format("≤ R·t + 5 %% (%,d) and ≥ 90 %% of R·t (%,d)",
                        Math.round(budget * 1.05), Math.round(budget * 0.9)),
                        String.format("%,d (%.1f/s)", made, made / (double) SECONDS),
                        String.format("R·t = %,d; no budget: %,.0f/s", budget, unbudgeted),
                        String.format("%.3f of R·t", made / (double) budget),
                        Verdict.of(made <= budget * 1.05 && made >= budget * 0.9),
                        Map.of("requests", made, "budget", budget, "unbudgetedPerSecond", unbudgeted,
                                "busiestSecond", busiest)),
                new Figure("P5 busiest 1 s window of that run", null, String.format("%d requests", busiest),
                        String.format("R = %.0f", RATE), String.format("%.2f of R", busiest / RATE), Verdict.INFO,
                        Map.of("busiestSecond", busiest))));
    }

    /** The most requests that arrived within any one second. */
    private static int busiestSecond(long[] times) {
        int most = 0;
        for (int from = 0, to = 0; to < times.length; to++) {
            while (times[to] - times[from] >= 1_000_000_000L) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    /** An upstream that takes {@link #SERVICE_NANOS} a request and keeps each request's arrival time. */
    private static final class CountingUpstream {

        private final long[] arrivals;
        private final AtomicInteger count = new AtomicInteger();
        private volatile long start;

        CountingUpstream(int capacity) {
            arrivals = new long[capacity];
        }

        /** Runs {@link #WORKERS} backlogged workers for {@code seconds}; returns the requests that arrived. */
        int drive(Supplier<RateBudget> budgets, long seconds) throws InterruptedException {
            start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                RateBudget budget = budgets.get();
                Thread worker = new Thread(() -> {
                    while (true) {
                        budget.acquire();
                        if (System.nanoTime() >= end || !request()) {
                            return;
                        }
                    }
                }, "upstream-worker-" + i);
                worker.start();
                workers.add(worker);
            }
            for (Thread worker : workers) {
                worker.join();
            }
            return Math.min(count.get(), arrivals.length);
        }

        private boolean request() {
            int index = count.getAndIncrement();
            if (index >= arrivals.length) {
                return false;
            }
            arrivals[index] = System.nanoTime() - start;
            LockSupport.parkNanos(SERVICE_NANOS);
            return true;
        }

        long[] times() {
            long[] times = Arrays.copyOf(arrivals, Math.min(count.get(), arrivals.length));
            Arrays.sort(times);
            return times;
        }
    }
}
