package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.CountingObjectStore;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import dev.backfill.worker.WindowOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** status, runs, cancel and retry over runs that workers really process. */
class RunControlTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_20 = LocalDate.of(2026, 4, 20);
    private static final LocalDate APR_30 = LocalDate.of(2026, 4, 30);
    private static final String THREE_WEEKS =
            "{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-09\",\"end\":\"2026-04-30\"}";

    private final Operator operator = Operator.inMemory(Instant.parse("2026-11-25T10:15:30Z"));
    private final ObjectStore store = operator.store();
    private final MutableClock clock = operator.clock();

    @AfterEach
    void close() {
        operator.close();
    }

    @Test
    void status_ofAQueuedRun_thenOfAFinishedOne() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_30);
        String runId = operator.call(THREE_WEEKS).get("runId").asText();

        JsonNode queued = status(runId);
        assertThat(queued.get("state").asText()).isEqualTo("queued");
        assertThat(queued.get("counts").get("queued").asInt()).isEqualTo(21);

        operator.work();
        JsonNode done = status(runId);
        assertThat(done.get("state").asText()).isEqualTo("succeeded");
        assertThat(done.get("counts").get("succeeded").asInt()).isEqualTo(21);
        assertThat(done.get("percentDone").asDouble()).isEqualTo(100.0);
        assertThat(done.get("failures")).isEmpty();
    }

    @Test
    void status_showsFailedWindowsWithTheirErrorAndAttempts_andThePartialState() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_20);
        String runId = operator.call(THREE_WEEKS).get("runId").asText();
        operator.work();

        JsonNode status = status(runId);

        assertThat(status.get("state").asText()).isEqualTo("partial");
        assertThat(status.get("counts").get("failed").asInt()).isEqualTo(10);
        assertThat(status.get("percentDone").asDouble()).isEqualTo(52.4);
        JsonNode first = status.get("failures").get(0);
        assertThat(first.get("label").asText()).isEqualTo("2026-04-20");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);
        assertThat(first.get("error").asText()).startsWith("RetryableException: No input objects under "
                + "raw/events/dt=2026-04-20/");
    }

    @Test
    void status_ofA3650WindowRun_readsByListing_notOneObjectPerWindow() {
        CountingObjectStore counting = new CountingObjectStore(store);
        try (Operator counted = new Operator(counting, clock, ZoneOffset.UTC, 3660,
                List.of(DailyEventCounts.fixed()))) {
            String runId = counted.call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\","
                    + "\"start\":\"2016-01-01\",\"end\":\"2025-12-29\"}").get("runId").asText();
            counted.work();
            counting.reset();

            JsonNode status = counted.call("{\"action\":\"status\",\"runId\":\"" + runId + "\"}");

            assertThat(status.get("counts").get("failed").asInt()).isEqualTo(3_650);
            // run.json, the cancel marker, the sent markers' page, 7,300 steps in 8 pages, 20 failures read whole.
            assertThat(counting.total()).isEqualTo(1 + 1 + 1 + 8 + 20);
        }
    }

    @Test
    void cancel_thenWork_consumesThePendingWindowsWithoutWorkAndMarksThemCancelled() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_30);
        String runId = operator.call(THREE_WEEKS).get("runId").asText();

        JsonNode cancelled = operator.call("{\"action\":\"cancel\",\"runId\":\"" + runId + "\"}");
        List<WindowOutcome> outcomes = operator.work();

        assertThat(cancelled.get("pending").asInt()).isEqualTo(21);
        assertThat(outcomes).extracting(WindowOutcome::result).containsOnly(WindowOutcome.Result.CANCELLED);
        assertThat(store.list(PartitionPath.tablePrefix(DailyEventCounts.NAME))).isEmpty();
        JsonNode status = status(runId);
        assertThat(status.get("state").asText()).isEqualTo("cancelled");
        assertThat(status.get("counts").get("cancelled").asInt()).isEqualTo(21);
    }

    @Test
    void retry_afterCancel_resendsEveryWindowUnderTheSameRunAndFence_andTheyCommit() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_30);
        JsonNode run = operator.call(THREE_WEEKS);
        String runId = run.get("runId").asText();
        operator.call("{\"action\":\"cancel\",\"runId\":\"" + runId + "\"}");
        operator.work();

        JsonNode retry = operator.call("{\"action\":\"retry\",\"runId\":\"" + runId + "\"}");

        assertThat(retry.get("retried").get("cancelled").asInt()).isEqualTo(21);
        assertThat(operator.queue().sent()).hasSize(21).allSatisfy(message -> {
            assertThat(message.runId()).isEqualTo(runId);
            assertThat(message.fence()).isEqualTo(run.get("fence").asLong());
        });
        operator.work();
        assertThat(status(runId).get("state").asText()).isEqualTo("succeeded");
    }

    @Test
    void retry_ofAnOlderRun_cannotOverwriteANewerRunsOutput() {
        String older = operator.call(THREE_WEEKS).get("runId").asText();
        operator.work();
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_30);
        clock.advance(Duration.ofMinutes(1));
        String newer = operator.call(THREE_WEEKS).get("runId").asText();
        operator.work();

        operator.call("{\"action\":\"retry\",\"runId\":\"" + older + "\"}");
        List<WindowOutcome> outcomes = operator.work();

        assertThat(outcomes).hasSize(21).extracting(WindowOutcome::result)
                .containsOnly(WindowOutcome.Result.SUPERSEDED);
        assertThat(manifest(APR_09).runId()).isEqualTo(newer);
        assertThat(status(older).get("counts").get("superseded").asInt()).isEqualTo(21);
    }

    @Test
    void runs_listsTheLatestFirst_withinTheLimit() {
        String first = operator.call(THREE_WEEKS).get("runId").asText();
        clock.advance(Duration.ofSeconds(1));
        String second = operator.call(THREE_WEEKS).get("runId").asText();

        JsonNode runs = operator.call("{\"action\":\"runs\",\"job\":\"daily_event_counts\",\"limit\":5}").get("runs");
        JsonNode one = operator.call("{\"action\":\"runs\",\"limit\":1}").get("runs");

        assertThat(runs).extracting(run -> run.get("runId").asText()).containsExactly(second, first);
        assertThat(one).extracting(run -> run.get("runId").asText()).containsExactly(second);
    }

    @Test
    void runActions_refuseUnknownRunsOtherJobsAndMalformedIds_writingNothing() {
        String runId = operator.call(THREE_WEEKS).get("runId").asText();
        int versions = store.listVersions("").size();

        operator.refused("{\"action\":\"status\",\"runId\":\"20261125T000000Z-ffffff\"}",
                "Unknown runId '20261125T000000Z-ffffff'");
        operator.refused("{\"action\":\"cancel\",\"runId\":\"" + runId + "\",\"job\":\"other\"}",
                "runId '" + runId + "' is a run of job 'daily_event_counts', not of job 'other'");
        operator.refused("{\"action\":\"retry\",\"runId\":\"../../tables\"}",
                "Malformed runId '../../tables' (expected a run id such as 20261125T144019Z-3d187b)");
        operator.refused("{\"action\":\"status\"}", "Missing field 'runId'");
        operator.refused("{\"action\":\"runs\",\"limit\":0}", "Field 'limit' must be a whole number from 1 to 100, "
                + "not 0");
        operator.refused("{\"action\":\"redrive\",\"queue\":\"x\"}", "Unknown field(s) [queue] for action "
                + "'redrive'; allowed: [action]");
        assertThat(store.listVersions("")).hasSize(versions);
    }

    private JsonNode status(String runId) {
        return operator.call("{\"action\":\"status\",\"runId\":\"" + runId + "\"}");
    }

    private Manifest manifest(LocalDate day) {
        return dev.backfill.Json.read(store.get(new PartitionPath(DailyEventCounts.NAME, day.toString())
                .manifestKey()).orElseThrow().content(), Manifest.class);
    }
}
