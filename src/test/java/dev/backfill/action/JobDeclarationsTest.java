package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.guide.HourlyPurchases;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.example.api.ApiDailySnapshot;
import dev.backfill.local.upstream.OrdersUpstream;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import dev.backfill.window.Grain;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowOutcome;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a job declares reaches plan, backfill and the worker: its history (not served days) and its grain. */
class JobDeclarationsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate OCT_25 = LocalDate.of(2026, 10, 25);

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private OrdersUpstream upstream;
    private Operator operator;

    @AfterEach
    void close() {
        if (operator != null) {
            operator.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /**
     * The upstream counts its 30 days in UTC; a Berlin day starts an hour or two before the UTC one, so the job
     * declares one day less (as the local stack configures it): its oldest served Berlin day lies wholly in served time.
     */
    @Test
    void plan_ofTheApiJob_reportsDaysBeyondItsHorizonAsNotServed_withoutAskingTheUpstream() throws IOException {
        startApiJob();

        JsonNode plan = operator.call("{\"action\":\"plan\",\"job\":\"api_daily_snapshot\",\"start\":\"2026-10-16\","
                + "\"end\":\"2026-10-31\"}");

        assertThat(plan.get("inRange").asInt()).isEqualTo(15);
        assertThat(plan.get("toRun").asInt()).isEqualTo(4);
        assertThat(plan.get("first").asText()).isEqualTo("2026-10-27");
        assertThat(plan.get("skipped").get("not served (the upstream serves days since 2026-10-27)").asInt())
                .isEqualTo(11);
        assertThat(plan.get("warnings").toString()).contains("11 window(s) of the range are not served (the "
                + "upstream serves days since 2026-10-27); they are left out");
        assertThat(plan.get("windows")).extracting(window -> window.get("label").asText())
                .containsExactly("2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30");
        assertThat(upstream.requests()).isZero();
        assertThat(upstream.oldestServed()).isEqualTo(LocalDate.of(2026, 10, 26));
    }

    private void startApiJob() throws IOException {
        upstream = OrdersUpstream.start(new OrdersUpstream.Settings(1000, 30, 20, 1L), clock, 0);
        operator = new Operator(store, clock, BERLIN, 3660, List.of(
                ApiDailySnapshot.of(ApiDailySnapshot.Settings.of(upstream.baseUrl(), 29))));
    }

    @Test
    void backfill_ofTheApiJob_sendsOnlyServedDays_andEachCommits() throws IOException {
        startApiJob();

        JsonNode run = operator.call("{\"action\":\"backfill\",\"job\":\"api_daily_snapshot\","
                + "\"start\":\"2026-10-20\",\"end\":\"2026-10-30\"}");
        List<WindowOutcome> outcomes = operator.work();

        assertThat(run.get("windows").asInt()).isEqualTo(3);
        assertThat(outcomes).extracting(WindowOutcome::label)
                .containsExactlyInAnyOrder("2026-10-27", "2026-10-28", "2026-10-29");
        assertThat(outcomes).allSatisfy(o -> assertThat(o.result()).isEqualTo(WindowOutcome.Result.COMMITTED));
        assertThat(upstream.notServed()).isZero();
    }

    @Test
    void backfill_anHourJobOverBerlinsFallBackDay_commits25DistinctPartitions_andMissingSkipsThemAfter() {
        DemoEventGenerator.standard().writeDays(store, OCT_25.minusDays(1), OCT_25.plusDays(1));
        operator = new Operator(store, clock, BERLIN, 3660, List.of(new HourlyPurchases()));
        String day = "\"start\":\"2026-10-25\",\"end\":\"2026-10-26\"";

        JsonNode run = operator.call("{\"action\":\"backfill\",\"job\":\"hourly_purchases\"," + day + "}");
        List<WindowOutcome> outcomes = operator.work();

        assertThat(run.get("windows").asInt()).isEqualTo(25);
        assertThat(run.get("first").asText()).isEqualTo("2026-10-25T00");
        assertThat(outcomes).hasSize(25).allSatisfy(o ->
                assertThat(o.result()).isEqualTo(WindowOutcome.Result.COMMITTED));
        for (Window hour : Grain.HOUR.windowsOf(OCT_25, BERLIN)) {
            assertThat(store.get(PartitionPath.of("hourly_purchases", hour).manifestKey())).as(hour.label())
                    .isPresent();
        }
        assertThat(store.get("tables/hourly_purchases/dt=2026-10-25/hr=02-repeat/_manifest.json")).isPresent();
        JsonNode again = operator.call("{\"action\":\"plan\",\"job\":\"hourly_purchases\"," + day
                + ",\"reprocess\":\"missing\"}");
        assertThat(again.get("toRun").asInt()).isZero();
        assertThat(again.get("skipped").get("committed").asInt()).isEqualTo(25);
    }

    @Test
    void retry_ofAnHourRunWhoseInputWasMissing_resendsEveryHour_theRepeatedOneWithItsOwnInstants() {
        operator = new Operator(store, clock, BERLIN, 3660, List.of(new HourlyPurchases()));
        JsonNode run = operator.call("{\"action\":\"backfill\",\"job\":\"hourly_purchases\","
                + "\"start\":\"2026-10-25\",\"end\":\"2026-10-26\"}");
        operator.work();

        JsonNode retried = operator.call("{\"action\":\"retry\",\"runId\":\"" + run.get("runId").asText() + "\"}");

        assertThat(retried.get("enqueued").asInt()).isEqualTo(25);
        assertThat(operator.queue().drain()).extracting(message -> message.window())
                .containsExactlyInAnyOrderElementsOf(Grain.HOUR.windowsOf(OCT_25, BERLIN));
    }
}
