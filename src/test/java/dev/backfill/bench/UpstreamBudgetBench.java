package dev.backfill.bench;

import dev.backfill.bench.Figure.Verdict;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.job.SpacedRateBudget;
import dev.backfill.job.SpacedRateBudget.Ticker;
import dev.backfill.example.api.ApiDailySnapshot;
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

    private static final int RATE = 40;
    private static final int WORKERS = 4;
    private static final int WINDOWS = 60;
    /** Days of the baseline without a budget. */
    private static final int UNBUDGETED_WINDOWS = 20;

    /** What the upstream saw during one backfill. */
    private record Run(long requests, int busiestSecond, double seconds, long throttled, long committed) {
        double perSecond() {
            return requests / seconds;
        }
    }

    Section run() throws Exception {
        // A first backfill warms the JVM (HTTP client, JSON, commit path), so neither measured run pays for it.
        backfill(RateBudget::unlimited, 1_000_000, 4);
        Run run = backfill(() -> SpacedRateBudget.shareOf(RATE, WORKERS, Ticker.system()), RATE, WINDOWS);
        Run unbudgeted = backfill(RateBudget::unlimited, 1_000_000, UNBUDGETED_WINDOWS);
        int ceiling = (int) Math.floor(RATE * 1.05);
        return new Section("P5", "upstream budget", String.format("A backfill of %d api_daily_snapshot day windows "
                + "(pages of 20 orders, about 9 a day) by %d worker threads, each a WindowWorker over an in-memory "
                + "bucket with its own SpacedRateBudget.shareOf(%d, %d, Ticker.system()), against the embedded "
                + "OrdersUpstream, which counts requests per second (1 s buckets from its start) and answers 429 "
                + "(Retry-After: 1) above %d/s; baseline: the same workers without a budget, %d windows, against an "
                + "upstream without limit; both after a warm-up backfill", WINDOWS, WORKERS, RATE, WORKERS, RATE,
                UNBUDGETED_WINDOWS), List.of(
                new Figure(String.format("P5 upstream request rate during a backfill, R = %d/s shared by C = %d, %d "
                        + "windows", RATE, WORKERS, WINDOWS), String.format("busiest second ≤ R + 5 %% (%d)", ceiling),
                        String.format("busiest %d/s (%,d requests in %.1f s)", run.busiestSecond(), run.requests(),
                                run.seconds()),
                        String.format("R = %d/s; no budget: busiest %d/s", RATE, unbudgeted.busiestSecond()),
                        String.format("%.2f of R", run.busiestSecond() / (double) RATE),
                        Verdict.of(run.busiestSecond() <= ceiling),
                        Map.of("requests", run.requests(), "busiestSecond", run.busiestSecond(),
                                "seconds", run.seconds(), "unbudgetedBusiestSecond", unbudgeted.busiestSecond())),
                new Figure("P5 refusals and commits of that backfill", "≤ 3 429s, every window committed",
                        String.format("%d 429s, %d/%d committed", run.throttled(), run.committed(), WINDOWS),
                        null, null,
                        Verdict.of(run.throttled() <= 3 && run.committed() == WINDOWS),
                        Map.of("throttled", run.throttled(), "committed", run.committed())),
                new Figure("P5 mean request rate of that backfill", null, String.format("%.1f/s", run.perSecond()),
                        String.format("R = %d/s; no budget: %.1f/s", RATE, unbudgeted.perSecond()),
                        String.format("%.2f of R", run.perSecond() / RATE), Verdict.INFO,
                        Map.of("meanPerSecond", run.perSecond(), "unbudgetedPerSecond", unbudgeted.perSecond()))));
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
