package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** plan: a dry run that probes the upstream and estimates, writing and sending nothing. */
class PlanActionTest {

    private static final String PLAN_APRIL =
            "{\"action\":\"plan\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-01\",\"end\":\"2026-05-01\"";

    private final Operator operator = Operator.inMemory(Instant.parse("2026-11-25T10:15:30Z"));
    private final ObjectStore store = operator.store();
    private final MutableClock clock = operator.clock();

    @AfterEach
    void close() {
        operator.close();
    }

    @Test
    void plan_probesTheUpstream_reportsDaysItNoLongerServes_andWritesAndSendsNothing() {
        DemoEventGenerator.standard().writeDays(store, LocalDate.of(2026, 4, 6), LocalDate.of(2026, 5, 1));
        int versions = store.listVersions("").size();

        JsonNode plan = operator.call(PLAN_APRIL + "}");

        assertThat(plan.get("inRange").asInt()).isEqualTo(30);
        assertThat(plan.get("toRun").asInt()).isEqualTo(30);
        assertThat(plan.get("missing").asInt()).isEqualTo(5);
        assertThat(plan.get("inputObjects").asInt()).isEqualTo(25);
        assertThat(plan.get("windows").get(0).get("label").asText()).isEqualTo("2026-04-01");
        assertThat(plan.get("windows").get(0).get("objects").asInt()).isZero();
        assertThat(plan.get("windows").get(5).get("bytes").asLong()).isPositive();
        assertThat(plan.get("warnings").get(0).asText()).isEqualTo("5 of 30 windows have no input and would fail: "
                + "2026-04-01, 2026-04-02, 2026-04-03, 2026-04-04, 2026-04-05");
        assertThat(plan.get("estimate").get("upstreamRequests").asInt()).isEqualTo(30 + 25);
        assertThat(plan.get("estimate").get("s3Requests").asInt()).isEqualTo(30 * 9);
        assertThat(plan.get("estimate").get("makespan").asText()).isEqualTo("unknown");
        assertThat(store.listVersions("")).hasSize(versions);
        assertThat(operator.queue().sendCalls()).isZero();
    }

    @Test
    void plan_afterARun_estimatesTheMakespanFromRecordedDurations_andHonoursTheReprocessPolicy() {
        DemoEventGenerator.standard().writeDays(store, LocalDate.of(2026, 4, 1), LocalDate.of(2026, 5, 1));
        operator.call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-01\","
                + "\"end\":\"2026-04-11\"}");
        operator.work();

        JsonNode plan = operator.call(PLAN_APRIL + ",\"reprocess\":\"missing\",\"order\":\"newest\"}");

        assertThat(plan.get("toRun").asInt()).isEqualTo(20);
        assertThat(plan.get("skipped").get("committed").asInt()).isEqualTo(10);
        assertThat(plan.get("first").asText()).isEqualTo("2026-04-30");
        assertThat(plan.get("estimate").get("windowDuration").asText()).startsWith("PT");
        assertThat(plan.get("estimate").get("makespan").asText()).startsWith("PT");
        assertThat(plan.get("estimate").get("lambdaRequests").asInt()).isEqualTo(20);
    }
}
