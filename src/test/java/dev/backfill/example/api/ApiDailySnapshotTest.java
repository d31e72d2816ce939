package dev.backfill.example.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.BackfillException;
import dev.backfill.Json;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.job.Deadline;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.JobResult;
import dev.backfill.job.JobSettings;
import dev.backfill.job.ObjectStoreSourceReader;
import dev.backfill.job.RateBudget;
import dev.backfill.job.Secrets;
import dev.backfill.job.SpacedRateBudget;
import dev.backfill.job.UpstreamMeter;
import dev.backfill.ledger.RunLedger;
import dev.backfill.local.upstream.DemoOrders;
import dev.backfill.local.upstream.OrdersUpstream;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.Bounded;
import dev.backfill.testing.CapturingSink;
import dev.backfill.testing.MutableClock;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import dev.backfill.worker.WindowOutcome;
import dev.backfill.worker.WindowWorker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API job against the embedded, rate-limited, forgetful upstream. */
class ApiDailySnapshotTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");
    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** The global budget R and the workers C sharing it. */
    private static final int R = 80;
    private static final int C = 4;

    private final MutableClock clock = new MutableClock(NOW);
    private OrdersUpstream upstream;

    @AfterEach
    void close() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void run_aBerlinDay_pagesThroughTheWindowsInstants_andWritesOneLinePerStatus() throws IOException {
        upstream = OrdersUpstream.start(OrdersUpstream.Settings.standard(1000), clock, 0);
        Window window = Window.day(APR_09, BERLIN);
        CapturingSink sink = new CapturingSink();
        UpstreamMeter meter = new UpstreamMeter();

        JobResult result = job(400).run(context(window, sink, meter.metering(RateBudget.unlimited())));

        List<DemoOrders.Order> orders = new DemoOrders(OrdersUpstream.Settings.standard(1).seed())
                .between(window.start(), window.end());
        Map<String, String> expected = new TreeMap<>();
        orders.stream().map(DemoOrders.Order::status).distinct().forEach(status -> expected.put(status,
                orders.stream().filter(o -> o.status().equals(status)).count() + "/" + orders.stream()
                        .filter(o -> o.status().equals(status)).mapToLong(DemoOrders.Order::amountCents).sum()));
        assertThat(byStatus(sink.lines())).isEqualTo(expected);
        assertThat(sink.lines()).isSorted().allSatisfy(line -> assertThat(line).startsWith("{\"dt\":\"2026-04-09\","
                + "\"status\":"));
        assertThat(result.rowsRead()).isEqualTo(orders.size());
        assertThat(meter.snapshot().requests()).as("pages of 20").isEqualTo((orders.size() + 19) / 20)
                .isEqualTo(upstream.requests());
    }

    @Test
    void backfill_withCWorkersSharingR_keepsTheUpstreamAtRPerSecond_andCommitsEveryWindow() throws Exception {
        upstream = OrdersUpstream.start(OrdersUpstream.Settings.standard(R), clock, 0);
        InMemoryObjectStore store = new InMemoryObjectStore(clock);
        ApiDailySnapshot job = job(400);
        ConcurrentLinkedQueue<Window> windows = new ConcurrentLinkedQueue<>(
                WindowRange.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1)).splitDays(ZoneOffset.UTC, 31));
        List<WindowOutcome> outcomes = new CopyOnWriteArrayList<>();
        UpstreamMeter meter = new UpstreamMeter();
        AtomicInteger nonce = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(C);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < C; i++) {
                // One budget per worker, as one per Lambda process: R / C each.
                RateBudget share = meter.metering(SpacedRateBudget.shareOf(R, C, SpacedRateBudget.Ticker.system()));
                WindowWorker worker = new WindowWorker(JobRegistry.of(List.of(job)), store, new RunLedger(store),
                        () -> share, clock, () -> String.format("n%05d", nonce.incrementAndGet()), "test");
                running.add(workers.submit(() -> {
                    for (Window window = windows.poll(); window != null; window = windows.poll()) {
                        outcomes.add(worker.process(WindowMessage.of("run-1", ApiDailySnapshot.NAME, window, 1), 1));
                    }
                    return null;
                }));
            }
            for (Future<?> worker : running) {
                Bounded.get(worker, Duration.ofMinutes(2), "a worker working the windows of March");
            }
        } finally {
            workers.shutdownNow();
        }

        assertThat(outcomes).hasSize(31).allSatisfy(outcome ->
                assertThat(outcome.result()).isEqualTo(WindowOutcome.Result.COMMITTED));
        assertThat(store.get(PartitionPath.of(ApiDailySnapshot.NAME, Window.day(LocalDate.of(2026, 3, 31),
                ZoneOffset.UTC)).manifestKey())).isPresent();
        assertThat(upstream.requests()).as("requests the upstream saw").isEqualTo(meter.snapshot().requests())
                .isGreaterThan(3L * R);
        assertThat(upstream.busiestSecond()).as("busiest second, per second: " + upstream.perSecond())
                .isLessThanOrEqualTo((int) Math.floor(R * 1.05));
        assertThat(upstream.throttled()).as("429s").isLessThanOrEqualTo(3).isEqualTo(meter.snapshot().throttled());
    }

    @Test
    void run_aDayBeyondTheUpstreamsHorizon_failsForGood_namingTheHorizon() throws IOException {
        upstream = OrdersUpstream.start(new OrdersUpstream.Settings(1000, 30, 20, 1L), clock, 0);
        Window old = Window.day(LocalDate.of(2026, 10, 1), ZoneOffset.UTC);

        assertThatThrownBy(() -> job(30).run(context(old, new CapturingSink(), RateBudget.unlimited())))
                .isInstanceOf(BackfillException.class)
                .hasMessage("The upstream no longer serves window 2026-10-01 (HTTP 404 for page 1); its history is "
                        + "shorter than the job's 30 days (backfill.jobs.api_daily_snapshot.horizon-days)");
        assertThat(upstream.notServed()).isEqualTo(1);
        assertThat(job(30).history().oldestServed(LocalDate.of(2026, 11, 25))).contains(upstream.oldestServed());
    }

    @Test
    void run_withoutABaseUrl_failsNamingTheSetting() {
        ApiDailySnapshot unconfigured = new ApiDailySnapshot(JobSettings.none(), HttpTransport.jdk(),
                Secrets.none());

        assertThatThrownBy(() -> unconfigured.run(context(Window.day(APR_09, ZoneOffset.UTC), new CapturingSink(),
                RateBudget.unlimited())))
                .isInstanceOf(BackfillException.class)
                .hasMessage("Job api_daily_snapshot needs setting backfill.jobs.api_daily_snapshot.base-url to run");
    }

    private ApiDailySnapshot job(int horizonDays) {
        return ApiDailySnapshot.of(ApiDailySnapshot.Settings.of(upstream.baseUrl(), horizonDays));
    }

    private static JobContext context(Window window, CapturingSink sink, RateBudget budget) {
        return new JobContext(window, new ObjectStoreSourceReader(new InMemoryObjectStore(), budget), sink, budget,
                Deadline.none());
    }

    private static Map<String, String> byStatus(List<String> lines) {
        Map<String, String> rendered = new TreeMap<>();
        for (String line : lines) {
            try {
                JsonNode row = Json.mapper().readTree(line);
                rendered.put(row.get("status").asText(), row.get("orders").asLong() + "/"
                        + row.get("amount_cents").asLong());
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        }
        return rendered;
    }
}
