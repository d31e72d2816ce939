package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.BackfillException;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import java.time.Duration;
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
    void firingAtHalfPastMidnightInTokyo_processesTheDayBefore_thoughInUtcItIsStillThatDay() {
        useZone("Asia/Tokyo");

        // 2026-11-25 00:30 in Tokyo; in UTC still 2026-11-24, whose day before would be the wrong 2026-11-23.
        JsonNode answer = operator.call("{\"scheduledTime\":\"2026-11-24T15:30:00Z\"}");

        assertThat(answer.get("runId").asText()).isEqualTo("schedule-daily_event_counts-2026-11-24");
        assertOnlyWindow("2026-11-24", "2026-11-23T15:00:00Z", "2026-11-24T15:00:00Z");
        assertThat(operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\"}").get("day").asText())
                .isEqualTo("2026-11-24");
    }

    @Test
    void firingAtHalfPastMidnightOnKiritimati_plus14_processesTheDayBefore() {
        useZone("Pacific/Kiritimati");

        // 2026-11-25 00:30 at UTC+14 is 2026-11-24 10:30 in UTC.
        operator.call("{\"scheduledTime\":\"2026-11-24T10:30:00Z\"}");

        assertOnlyWindow("2026-11-24", "2026-11-23T10:00:00Z", "2026-11-24T10:00:00Z");
    }

    @Test
    void firingJustBeforeMidnightInTokyo_processesTheDayBeforeItsOwnLocalDay() {
        useZone("Asia/Tokyo");

        // 2026-11-25 23:59 in Tokyo, 14:59 in UTC: still the firing of the 25th, so the 24th.
        operator.call("{\"scheduledTime\":\"2026-11-25T14:59:00Z\"}");

        assertOnlyWindow("2026-11-24", "2026-11-23T15:00:00Z", "2026-11-24T15:00:00Z");
    }

    @Test
    void firingInNewYorkLateInTheEvening_whenUtcIsAlreadyTheNextDay_processesTheDayBeforeInNewYork() {
        useZone("America/New_York");

        // 2026-11-24 23:30 EST is 2026-11-25 04:30 in UTC.
        operator.call("{\"scheduledTime\":\"2026-11-25T04:30:00Z\"}");

        assertOnlyWindow("2026-11-23", "2026-11-23T05:00:00Z", "2026-11-24T05:00:00Z");
    }

    @Test
    void firingInNewYorkAfterSpringForward_processesThe23HourDay_andAfterFallBackThe25HourDay() {
        useZone("America/New_York");

        operator.call("{\"scheduledTime\":\"2026-03-09T04:30:00Z\"}"); // 2026-03-09 00:30 EDT
        assertOnlyWindow("2026-03-08", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z");
        operator.queue().drain();
        operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":\"2026-10-31\"}");

        operator.call("{\"scheduledTime\":\"2026-11-02T05:30:00Z\"}"); // 2026-11-02 00:30 EST
        assertOnlyWindow("2026-11-01", "2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z");
    }

    @Test
    void firingInBerlinOnTheSpringForwardDayItself_processesTheDayBefore() {
        useZone("Europe/Berlin");

        // 2026-03-29 03:30 CEST, just after the clocks jumped from 02:00 to 03:00; 01:30 in UTC.
        operator.call("{\"scheduledTime\":\"2026-03-29T01:30:00Z\"}");

        assertOnlyWindow("2026-03-28", "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z");
    }

    @Test
    void firingInBerlinAfterTheFallBackDay_processesThe25HourDayBefore() {
        useZone("Europe/Berlin");

        operator.call("{\"scheduledTime\":\"2026-10-26T05:00:00Z\"}"); // 2026-10-26 06:00 CET

        assertOnlyWindow("2026-10-25", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z");
    }

    @Test
    void firingsInBothPassesOfBerlinsRepeatedHour_onTheFallBackDay_makeOneRunOfTheDayBefore() {
        useZone("Europe/Berlin");

        JsonNode first = operator.call("{\"scheduledTime\":\"2026-10-25T00:30:00Z\"}"); // 02:30 CEST
        JsonNode second = operator.call("{\"scheduledTime\":\"2026-10-25T01:30:00Z\"}"); // 02:30 CET, again

        assertThat(first.get("runId").asText()).isEqualTo("schedule-daily_event_counts-2026-10-24");
        assertThat(second.get("runId").asText()).isEqualTo(first.get("runId").asText());
        assertThat(second.get("replayed").asBoolean()).isTrue();
        assertOnlyWindow("2026-10-24", "2026-10-23T22:00:00Z", "2026-10-24T22:00:00Z");
    }

    @Test
    void catchUpAcrossBerlinsSpringForward_sendsEachLocalDayWithItsOwnLength() {
        useZone("Europe/Berlin");
        operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":\"2026-03-27\"}");

        operator.call("{\"scheduledTime\":\"2026-03-31T04:00:00Z\"}"); // 2026-03-31 06:00 CEST

        assertThat(operator.queue().sent()).extracting(message -> message.window().label() + " "
                        + message.window().start() + " " + message.window().end())
                .containsExactly(
                        "2026-03-28 2026-03-27T23:00:00Z 2026-03-28T23:00:00Z",
                        "2026-03-29 2026-03-28T23:00:00Z 2026-03-29T22:00:00Z",
                        "2026-03-30 2026-03-29T22:00:00Z 2026-03-30T22:00:00Z");
        assertThat(operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\"}").get("day").asText())
                .isEqualTo("2026-03-30");
    }

    @Test
    void watermarkSetByHandInTokyo_justAfterLocalMidnight_allowsYesterdayInTokyo() {
        clock.advance(Duration.between(clock.instant(), Instant.parse("2026-11-24T15:30:00Z")));
        useZone("Asia/Tokyo");

        // 00:30 on 2026-11-25 in Tokyo: 2026-11-24 has ended there, though not in UTC.
        JsonNode set = operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":\"2026-11-24\"}");

        assertThat(set.get("day").asText()).isEqualTo("2026-11-24");
        operator.refused("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":\"2026-11-25\"}",
                "Cannot set the watermark to 2026-11-25: the schedule would skip days that have not ended; at most "
                        + "2026-11-24 (yesterday in Asia/Tokyo)");
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

    private void useZone(String zone) {
        operator.close();
        operator = operator(ZoneId.of(zone));
    }

    private void assertOnlyWindow(String label, String start, String end) {
        assertThat(operator.queue().sent()).hasSize(1);
        var window = operator.queue().sent().get(0).window();
        assertThat(window.label()).isEqualTo(label);
        assertThat(window.start()).isEqualTo(Instant.parse(start));
        assertThat(window.end()).isEqualTo(Instant.parse(end));
    }

    private Operator operator(ZoneId zone) {
        return new Operator(store, clock, zone, 3660, List.of(DailyEventCounts.fixed()));
    }
}
