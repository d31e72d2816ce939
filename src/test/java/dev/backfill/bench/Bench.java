package dev.backfill.bench;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.aws.SqsWindowQueue;
import dev.backfill.action.ActionRouter;
import dev.backfill.action.DispatcherActions;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.job.DailyEventCounts;
import dev.backfill.job.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.store.CountingObjectStore;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import dev.backfill.worker.WindowWorker;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code make bench}: throughput and memory of the parts that matter, against embedded S3Proxy and ElasticMQ.
 * Prints numbers; asserts nothing. Numbers on a 2-core laptop are indicative, not a contract.
 */
public final class Bench {

    private static final LocalDate JAN_01 = LocalDate.of(2026, 1, 1);

    /** {@code job}: the example job alone, run under a small heap; {@code io}: commits and dispatch. */
    public static void main(String[] args) throws Exception {
        String part = args.length == 0 ? "io" : args[0];
        System.out.println("backfill bench (" + part + ") — " + Runtime.getRuntime().availableProcessors()
                + " cores, max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        if (part.equals("job")) {
            jobMemory();
        } else {
            LocalServers servers = LocalServers.get();
            commitThroughput(servers);
            dispatchThroughput(servers);
        }
        System.exit(0);
    }

    /**
     * The example job on ever larger days under a fixed small heap: it streams input and output, so it completes
     * and its live heap after GC stays flat while the day grows tenfold.
     */
    private static void jobMemory() throws Exception {
        for (int events : new int[] {100_000, 1_000_000, 3_000_000}) {
            SyntheticDayStore store = new SyntheticDayStore(events, 20_000);
            WindowWorker worker = worker(store);
            System.gc();
            resetPeaks();
            long started = System.nanoTime();
            worker.process(WindowMessage.of("bench", DailyEventCounts.NAME, Window.day(JAN_01, ZoneOffset.UTC), 1), 1);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("job  daily_event_counts  %,9d events (%,5.1f MiB gzip)  %6.2f s  %,10.0f events/s  "
                            + "live heap after GC %5.1f MiB%n", events, store.inputBytes() / 1048576.0, seconds,
                    events / seconds, liveHeapAfterGc() / 1048576.0);
        }
    }

    /** Windows committed per second on S3Proxy, one worker and four concurrent workers. */
    private static void commitThroughput(LocalServers servers) throws Exception {
        String bucket = servers.newBucket("bench-commit");
        S3ObjectStore s3 = new S3ObjectStore(servers.s3(), bucket);
        int days = 60;
        new DemoEventGenerator(7, 1500).writeDays(s3, JAN_01, JAN_01.plusDays(days));
        for (int threads : new int[] {1, 4}) {
            CountingObjectStore counting = new CountingObjectStore(s3);
            WindowWorker worker = worker(counting);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            AtomicInteger next = new AtomicInteger();
            long started = System.nanoTime();
            List<Future<?>> running = java.util.stream.IntStream.range(0, threads).mapToObj(t -> pool.submit(() -> {
                for (int day = next.getAndIncrement(); day < days; day = next.getAndIncrement()) {
                    worker.process(WindowMessage.of("bench-" + threads, DailyEventCounts.NAME,
                            Window.day(JAN_01.plusDays(day), ZoneOffset.UTC), 10L + threads), 1);
                }
            })).<Future<?>>map(f -> f).toList();
            for (Future<?> future : running) {
                future.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            System.out.printf("commit  %d windows, %d worker(s)  %6.2f s  %6.1f windows/s  %4.1f S3 requests/window %s%n",
                    days, threads, seconds, days / seconds, counting.total() / (double) days, counting.counts());
        }
    }

    /**
     * P1: the largest request (3,650 windows) dispatched on ElasticMQ and S3Proxy, beside a baseline run just before
     * it that sends one SendMessage per window; then {@code status} of that run.
     */
    private static void dispatchThroughput(LocalServers servers) {
        String baselineQueue = servers.newQueue("bench-baseline");
        long baselineStarted = System.nanoTime();
        for (int day = 0; day < 3_650; day++) {
            String body = WindowMessage.of("baseline", DailyEventCounts.NAME,
                    Window.day(JAN_01.minusDays(3_650 - day), ZoneOffset.UTC), 1).toJson();
            servers.sqs().sendMessage(r -> r.queueUrl(baselineQueue).messageBody(body));
        }
        double baseline = (System.nanoTime() - baselineStarted) / 1e9;

        String bucket = servers.newBucket("bench-dispatch");
        String queue = servers.newQueue("bench-dispatch");
        ExecutorService io = Executors.newFixedThreadPool(8);
        ExecutorService dispatch = Executors.newFixedThreadPool(8);
        S3ObjectStore store = new S3ObjectStore(servers.s3(), bucket);
        ActionRouter router = DispatcherActions.router(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
                new SqsWindowQueue(servers.sqs(), queue, Optional.empty(), io, 3), Clock.systemUTC(),
                RateBudget.unlimited(), () -> "bench0", io, dispatch,
                new DispatcherActions.Settings(ZoneOffset.UTC, 3_660, "bench", DailyEventCounts.NAME, 7,
                        new Estimator.Settings(4, 0, Duration.ofMinutes(5), 1024)));
        // First a 3,650-window dispatch on a JVM that has not run one (a cold function), then one on a warm JVM.
        long coldStarted = System.nanoTime();
        router.handle(Map.of("action", "backfill", "job", DailyEventCounts.NAME, "start",
                JAN_01.minusDays(3_650).toString(), "end", JAN_01.toString(), "idempotencyKey", "cold"));
        double cold = (System.nanoTime() - coldStarted) / 1e9;
        servers.sqs().purgeQueue(r -> r.queueUrl(queue));
        long started = System.nanoTime();
        DispatchSummary summary = (DispatchSummary) router.handle(Map.of("action", "backfill", "job",
                DailyEventCounts.NAME, "start", JAN_01.minusDays(3_650).toString(), "end", JAN_01.toString()));
        double seconds = (System.nanoTime() - started) / 1e9;
        long statusStarted = System.nanoTime();
        router.handle(Map.of("action", "status", "runId", summary.runId()));
        double status = (System.nanoTime() - statusStarted) / 1e9;
        io.shutdown();
        dispatch.shutdown();
        System.out.printf("P1 dispatch  %,d windows: %6.2f s warm (goal <= 2 s; %5.2f s in a cold JVM), baseline one "
                        + "SendMessage per window %6.2f s, %5.1fx faster (goal >= 10x); messages on the queue %,d "
                        + "(goal 3,650)%n", summary.enqueued(), seconds, cold, baseline, baseline / seconds,
                servers.depth(queue));
        System.out.printf("P1 status    of that run: %6.3f s (goal <= 1 s)%n", status);
    }

    private static WindowWorker worker(dev.backfill.store.ObjectStore store) {
        AtomicInteger nonce = new AtomicInteger();
        return new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
                new RunLedger(store), RateBudget::unlimited, Clock.systemUTC(),
                () -> Integer.toHexString(nonce.incrementAndGet()), "bench");
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    /** The most heap the last collections left in use during the run: the live set, not the garbage. */
    private static long liveHeapAfterGc() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null)
                .mapToLong(pool -> pool.getCollectionUsage().getUsed())
                .sum();
    }
}
