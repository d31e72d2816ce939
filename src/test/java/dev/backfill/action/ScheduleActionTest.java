package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.BackfillException;
import dev.backfill.job.DailyEventCounts;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scheduled firings: the logical day, one run per firing however often delivered, catch-up from the watermark. */
class ScheduleActionTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T06:00:05Z"));
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private Operator operator = operator(ZoneId.of("UTC"));

    @AfterEach
    void close() {
        operator.close();
    }

    @Test
    void firing_dispatchesTheDayBeforeTheScheduledTime_andMovesTheWatermark() {
        JsonNode answer = operator.call("{\"scheduledTime\":\"2026-11-25T06:00:00Z\"}");

        assertThat(answer.get("runId").asText()).isEqualTo("schedule-daily_event_counts-2026-11-24");
        assertThat(operator.queue().sent()).extracting(message -> message.window().label())
                .containsExactly("2026-11-24");
        assertThat(operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\"}").get("day").asText())
                .isEqualTo("2026-11-24");
    }

    @Test
    void sameFiringDeliveredTwice_makesOneRun_andSendsItsWindowOnce() {
        JsonNode first = operator.call("{\"scheduledTime\":\"2026-11-25T06:00:00Z\"}");
        clock.advance(java.time.Duration.ofMinutes(1));

        JsonNode second = operator.call("{\"scheduledTime\":\"2026-11-25T06:00:00Z\"}");

        assertThat(second.get("runId").asText()).isEqualTo(first.get("runId").asText());
        assertThat(second.get("replayed").asBoolean()).isTrue();
        assertThat(operator.queue().sent()).hasSize(1);
        assertThat(store.list("_backfill/runs/")).filteredOn(o -> o.key().endsWith("/run.json")).hasSize(1);
    }

    @Test
    void threeSkippedFirings_areCaughtUpByTheNextOne() {
        operator.call("{\"scheduledTime\":\"2026-11-21T06:00:00Z\"}");
        operator.queue().drain();

        JsonNode answer = operator.call("{\"scheduledTime\":\"2026-11-25T06:00:00Z\"}");

        assertThat(answer.get("windows").asInt()).isEqualTo(4);
        assertThat(operator.queue().sent()).extracting(message -> message.window().label())
                .containsExactly("2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24");
    }

    @Test
    void firingTooFarBehindTheWatermark_isRefusedLoudly_andSendsNothing() {
        operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":\"2026-11-10\"}");

        assertThatThrownBy(() -> operator.call("{\"scheduledTime\":\"2026-11-25T06:00:00Z\"}"))
                .isInstanceOf(BackfillException.class)
                .hasMessage("Schedule of job daily_event_counts is 14 days behind: watermark 2026-11-10, logical day "
                        + "2026-11-24; at most 7 days are caught up by a firing. Backfill 2026-11-11 .. 2026-11-25 by "
                        + "hand, then set the watermark to 2026-11-24");
        assertThat(operator.queue().sendCalls()).isZero();
    }

    @Test
    void firingAtOrBeforeAWatermarkSetByHand_dispatchesNothing() {
        operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":\"2026-11-24\"}");

        JsonNode answer = operator.call("{\"scheduledTime\":\"2026-11-25T06:00:00Z\"}");

        assertThat(answer.get("runId").isNull()).isTrue();
        assertThat(answer.get("skipped").get("at or before the watermark 2026-11-24").asInt()).isEqualTo(1);
        assertThat(operator.queue().sendCalls()).isZero();
    }

    @Test
    void firingInBerlinOnTheSpringForwardDay_processesThe23HourDayBefore() {
        operator.close();
        operator = operator(ZoneId.of("Europe/Berlin"));

        operator.call("{\"scheduledTime\":\"2026-03-30T04:00:00Z\"}");

        var window = operator.queue().sent().get(0).window();
        assertThat(window.label()).isEqualTo("2026-03-29");
        assertThat(window.start()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(window.end()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
    }

    @Test
    void firingWhoseLogicalDayHasNotEnded_isRefused_andSendsAndWritesNothing() {
        int versions = store.listVersions("").size();

        operator.refused("{\"scheduledTime\":\"2026-11-26T06:00:00Z\"}", "Cannot run the schedule for scheduledTime "
                + "2026-11-26T06:00:00Z: its logical day (the day before, in UTC) has not ended; now is "
                + "2026-11-25T06:00:05Z");
        operator.refused("{\"scheduledTime\":\"+1000000000-12-31T23:59:59.999999999Z\"}", "Cannot run the schedule "
                + "for scheduledTime +1000000000-12-31T23:59:59.999999999Z: its logical day (the day before, in UTC) "
                + "has not ended; now is 2026-11-25T06:00:05Z");

        assertThat(operator.queue().sent()).isEmpty();
        assertThat(store.listVersions("")).hasSize(versions);
    }

    @Test
    void watermark_readAndSetByHand_andRefusedForDaysNotEnded() {
        assertThat(operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\"}").get("day").isNull())
                .isTrue();

        JsonNode set = operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":\"2026-04-01\"}");

        assertThat(set.get("day").asText()).isEqualTo("2026-04-01");
        assertThat(set.get("by").asText()).isEqualTo("set by hand");
        operator.refused("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":\"2026-11-25\"}",
                "Cannot set the watermark to 2026-11-25: the schedule would skip days that have not ended; at most "
                        + "2026-11-24 (yesterday in UTC)");
        operator.refused("{\"action\":\"watermark\",\"job\":\"nope\"}", "Unknown job 'nope'; known jobs: "
                + "[daily_event_counts]");
    }

    private Operator operator(ZoneId zone) {
        return new Operator(store, clock, zone, 3660, List.of(DailyEventCounts.fixed()));
    }
}
