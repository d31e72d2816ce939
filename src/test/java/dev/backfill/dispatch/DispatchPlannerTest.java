package dev.backfill.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.InvalidRequestException;
import dev.backfill.job.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.ledger.RunRecord;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DispatchPlannerTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_30 = LocalDate.of(2026, 4, 30);
    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30.123456789Z");
    private static final long NOW_FENCE = 1_795_601_730_123_456L;
    private static final Instant SCHEDULED = Instant.parse("2026-11-25T02:00:00Z");
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");
    private static final String JOB = DailyEventCounts.NAME;
    private static final JobRegistry JOBS = JobRegistry.of(List.of(DailyEventCounts.fixed()));
    private static final DispatchRequest APR_09_TO_APR_30 = new DispatchRequest.Backfill(JOB,
            WindowRange.of(APR_09, APR_30));

    @Test
    void plan_apr09ToApr30_gives21MessagesOldestFirst() {
        RunPlan plan = planner(UTC, 3660, NOW).plan(APR_09_TO_APR_30);

        assertThat(plan.labels()).hasSize(21).isSorted();
        assertThat(plan.labels().get(0)).isEqualTo("2026-04-09");
        assertThat(plan.labels().get(20)).isEqualTo("2026-04-29");
        assertThat(plan.messages().get(0)).isEqualTo(new WindowMessage(1, "20261125T101530Z-a1b2c3", JOB,
                Window.day(APR_09, UTC), NOW_FENCE));
    }

    @Test
    void plan_runId_isCreationTimeInUtcAndANonce() {
        RunPlan plan = planner(LOS_ANGELES, 3660, NOW).plan(APR_09_TO_APR_30);

        assertThat(plan.run().runId()).isEqualTo("20261125T101530Z-a1b2c3");
        assertThat(plan.messages()).extracting(WindowMessage::runId).containsOnly("20261125T101530Z-a1b2c3");
    }

    @Test
    void plan_oneFenceForAllMessagesOfARun_microsecondsOfItsCreation() {
        RunPlan plan = planner(UTC, 3660, NOW).plan(APR_09_TO_APR_30);

        assertThat(plan.messages()).extracting(WindowMessage::fence).containsOnly(NOW_FENCE);
        assertThat(plan.run().fence()).isEqualTo(NOW_FENCE);
    }

    @Test
    void plan_laterClock_givesLargerFence() {
        long earlier = planner(UTC, 3660, NOW).plan(APR_09_TO_APR_30).run().fence();
        long oneMicroLater = planner(UTC, 3660, NOW.plusNanos(1_000)).plan(APR_09_TO_APR_30).run().fence();

        assertThat(oneMicroLater).isGreaterThan(earlier);
    }

    @Test
    void plan_backfill_recordsRequestAndPlanInTheRunRecord() {
        RunRecord run = planner(UTC, 3660, NOW).plan(APR_09_TO_APR_30).run();

        assertThat(run).isEqualTo(new RunRecord(1, "20261125T101530Z-a1b2c3", JOB, "backfill", "2026-04-09",
                "2026-04-30", 21, "2026-04-09", "2026-04-29", NOW_FENCE, "UTC", "1.4.2", NOW));
    }

    @Test
    void plan_scheduledInUtc_processesTheDayBefore() {
        RunPlan plan = planner(UTC, 3660, NOW).plan(new DispatchRequest.Scheduled(SCHEDULED));

        assertThat(plan.messages()).extracting(WindowMessage::window)
                .containsExactly(Window.day(LocalDate.of(2026, 11, 24), UTC));
        assertThat(plan.run().trigger()).isEqualTo("schedule");
        assertThat(plan.run().job()).isEqualTo(JOB);
    }

    @Test
    void plan_scheduledInLosAngeles_processesTheDayBeforeTheLocalDate() {
        // 2026-11-25T02:00Z is 2026-11-24T18:00 in Los Angeles, so the day before is the 23rd.
        RunPlan plan = planner(LOS_ANGELES, 3660, NOW).plan(new DispatchRequest.Scheduled(SCHEDULED));

        assertThat(plan.messages()).extracting(WindowMessage::window).containsExactly(new Window("2026-11-23",
                Instant.parse("2026-11-23T08:00:00Z"), Instant.parse("2026-11-24T08:00:00Z")));
    }

    @Test
    void logicalDay_isTheDayBeforeTheScheduledTimeInTheZone() {
        assertThat(planner(UTC, 3660, NOW).logicalDay(SCHEDULED))
                .isEqualTo(WindowRange.of(LocalDate.of(2026, 11, 24), LocalDate.of(2026, 11, 25)));
        assertThat(planner(LOS_ANGELES, 3660, NOW).logicalDay(SCHEDULED))
                .isEqualTo(WindowRange.of(LocalDate.of(2026, 11, 23), LocalDate.of(2026, 11, 24)));
    }

    @Test
    void plan_unknownJob_isRefused() {
        DispatchRequest request = new DispatchRequest.Backfill("daily_event_count", WindowRange.of(APR_09, APR_30));

        assertThatThrownBy(() -> planner(UTC, 3660, NOW).plan(request))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unknown job 'daily_event_count'; known jobs: [daily_event_counts]");
    }

    @Test
    void plan_moreWindowsThanAllowed_isRefused() {
        assertThatThrownBy(() -> planner(UTC, 20, NOW).plan(APR_09_TO_APR_30))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range 2026-04-09 .. 2026-04-30: 21 windows exceed the maximum of 20");
    }

    @Test
    void settings_maxWindowsBelowOne_isRefused() {
        assertThatThrownBy(() -> new DispatchPlanner.Settings(UTC, 0, JOB, "1.4.2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxWindows must be at least 1: 0");
    }

    private static DispatchPlanner planner(ZoneId zone, int maxWindows, Instant now) {
        return new DispatchPlanner(JOBS, new DispatchPlanner.Settings(zone, maxWindows, JOB, "1.4.2"),
                Clock.fixed(now, ZoneOffset.UTC), () -> "a1b2c3");
    }
}
