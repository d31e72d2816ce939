package dev.backfill.bench;

import dev.backfill.bench.Figure.Verdict;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.job.SpacedRateBudget;
import dev.backfill.job.SpacedRateBudget.Ticker;
import dev.backfill.job.api.ApiDailySnapshot;
import dev.backfill.ledger.RunLedger;
import dev.backfill.local.upstream.OrdersUpstream;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import dev.backfill.worker.WindowOutcome;
import dev.backfill.worker.WindowWorker;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * P5: a backfill of the API job {@code api_daily_snapshot} by C workers, each with its share of a global budget of R
 * requests per second (one budget per worker, as one per Lambda process), against the embedded orders upstream, which
 * counts what reaches it per second and refuses with 429 what exceeds R.
 */
final class UpstreamBudgetBench {

    private static final int RATE = 80;
    private static final int WORKERS = 4;
    private static final int WINDOWS = 60;
    /** Days of the baseline without a budget. */
    private static final int UNBUDGETED_WINDOWS = 12;

    /** What the upstream saw during one backfill. */
    private record Run(long requests, int busiestSecond, double seconds, long throttled, long committed) {
        double perSecond() {
            return requests / seconds;
        }
    }

    Section run() throws Exception {
        Run unbudgeted = backfill(RateBudget::unlimited, 1_000_000, UNBUDGETED_WINDOWS);
        Run run = backfill(() -> SpacedRateBudget.shareOf(RATE, WORKERS, Ticker.system()), RATE, WINDOWS);
        int ceiling = (int) Math.floor(RATE * 1.05);
        boolean met = run.busiestSecond() <= ceiling && run.perSecond() >= RATE * 0.9 && run.throttled() <= 3
                && run.committed() == WINDOWS;
        return new Section("P5", "upstream budget", String.format("A backfill of %d api_daily_snapshot day windows "
                + "(pages of 20 orders, about 9 a day) by %d worker threads, each a WindowWorker over an in-memory "
                + "bucket with its own SpacedRateBudget.shareOf(%d, %d, Ticker.system()), against the embedded "
                + "OrdersUpstream, which counts requests per second (1 s buckets from its start) and answers 429 "
                + "(Retry-After: 1) above %d/s; baseline: the same workers without a budget, %d windows, against an "
                + "upstream without limit", WINDOWS, WORKERS, RATE, WORKERS, RATE, UNBUDGETED_WINDOWS), List.of(
                new Figure(String.format("P5 upstream request rate during a backfill, R = %d/s shared by C = %d, %d "
                        + "windows", RATE, WORKERS, WINDOWS),
                        String.format("busiest second ≤ R + 5 %% (%d), mean ≥ 90 %% of R (%.0f/s), ≤ 3 429s, every "
                                + "window committed", ceiling, RATE * 0.9),
                        String.format("busiest %d/s, mean %.1f/s over %.1f s (%,d requests); %d 429s; %d/%d "
                                + "committed", run.busiestSecond(), run.perSecond(), run.seconds(), run.requests(),
                                run.throttled(), run.committed(), WINDOWS),
                        String.format("R = %d/s; no budget: %,.0f/s", RATE, unbudgeted.perSecond()),
                        String.format("%.2f of R (busiest)", run.busiestSecond() / (double) RATE),
                        Verdict.of(met),
                        Map.of("requests", run.requests(), "busiestSecond", run.busiestSecond(),
                                "meanPerSecond", run.perSecond(), "throttled", run.throttled(),
                                "committed", run.committed(), "unbudgetedPerSecond", unbudgeted.perSecond()))));
    }

    /** Runs {@code windows} days of the API job through {@link #WORKERS} workers; what the upstream saw. */
    private static Run backfill(Supplier<RateBudget> budgets, int upstreamLimit, int windows) throws Exception {
        Clock clock = Clock.systemUTC();
        LocalDate first = LocalDate.now(clock).minusDays(windows + 10L);
        try (OrdersUpstream upstream = OrdersUpstream.start(OrdersUpstream.Settings.standard(upstreamLimit), clock,
                0)) {
            ApiDailySnapshot job = ApiDailySnapshot.of(ApiDailySnapshot.Settings.of(upstream.baseUrl(), 400));
            InMemoryObjectStore store = new InMemoryObjectStore(clock);
            ConcurrentLinkedQueue<Window> queue = new ConcurrentLinkedQueue<>(
                    WindowRange.of(first, first.plusDays(windows)).splitDays(ZoneOffset.UTC, windows));
            AtomicInteger committed = new AtomicInteger();
            AtomicInteger nonce = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            long start = System.nanoTime();
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int i = 0; i < WORKERS; i++) {
                    RateBudget budget = budgets.get();
                    WindowWorker worker = new WindowWorker(JobRegistry.of(List.of(job)), store, new RunLedger(store),
                            () -> budget, clock, () -> String.format("b%05x", nonce.incrementAndGet()), "bench");
                    running.add(pool.submit(() -> {
                        for (Window window = queue.poll(); window != null; window = queue.poll()) {
                            WindowOutcome outcome = worker.process(WindowMessage.of("bench-p5", job.name(), window, 1),
                                    1);
                            if (outcome.result() == WindowOutcome.Result.COMMITTED) {
                                committed.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : running) {
                    worker.get();
                }
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Run(upstream.requests(), upstream.busiestSecond(), seconds, upstream.throttled(),
                    committed.get());
        }
    }
}
