package dev.backfill.action;

import dev.backfill.BackfillException;
import dev.backfill.InvalidRequestException;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.dispatch.Dispatcher;
import dev.backfill.dispatch.Dispatcher.RunIdentity;
import dev.backfill.dispatch.Order;
import dev.backfill.dispatch.Reprocess;
import dev.backfill.job.WindowJob;
import dev.backfill.ledger.Watermarks;
import dev.backfill.ledger.Watermarks.Watermark;
import dev.backfill.window.WindowRange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An EventBridge Scheduler firing, {@code {"scheduledTime":"2026-11-25T06:00:00Z"}}: its logical day is the day
 * before the scheduled time in the configured zone (never the invocation time). It dispatches every day after the
 * job's watermark up to that logical day — so firings that never happened are caught up — then moves the watermark.
 * The run id is the job and the logical day, so the same firing delivered twice makes one run.
 */
public final class ScheduleAction implements Action<ScheduleAction.Request> {

    private final DispatchPlanner planner;
    private final Dispatcher dispatcher;
    private final Watermarks watermarks;
    private final Clock clock;
    private final String job;
    private final int maxCatchUpDays;

    /**
     * @param job            the job the schedule runs
     * @param maxCatchUpDays the most days one firing dispatches; a longer gap is refused loudly
     */
    public ScheduleAction(DispatchPlanner planner, Dispatcher dispatcher, Watermarks watermarks, Clock clock,
                          String job, int maxCatchUpDays) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.watermarks = Objects.requireNonNull(watermarks, "watermarks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.job = Objects.requireNonNull(job, "job");
        this.maxCatchUpDays = maxCatchUpDays;
    }

    public record Request(Instant scheduledTime) {
    }

    @Override
    public String name() {
        return "schedule";
    }

    @Override
    public Request parse(ActionInput input) {
        Instant scheduledTime = input.allow("scheduledTime").optionalInstant("scheduledTime")
                .orElseThrow(() -> new InvalidRequestException("Missing field 'scheduledTime'"));
        Instant now = clock.instant();
        // A firing's logical day must have ended, or an incomplete day would be committed (and a day without input
        // yet would cycle into the DLQ). The Scheduler fires at or after the scheduled time; a hand-made event may not.
        if (scheduledTime.isAfter(now.plus(Duration.ofDays(2)))
                || !planner.logicalDay(scheduledTime).isBefore(now.atZone(planner.zone()).toLocalDate())) {
            throw new InvalidRequestException("Cannot run the schedule for scheduledTime " + scheduledTime
                    + ": its logical day (the day before, in " + planner.zone() + ") has not ended; now is " + now);
        }
        return new Request(scheduledTime);
    }

    @Override
    public DispatchSummary run(Request request) {
        WindowJob scheduled = planner.job(job);
        LocalDate day = planner.logicalDay(request.scheduledTime());
        RunIdentity identity = new RunIdentity("schedule-" + scheduled.name() + "-" + day, "schedule", null,
                "schedule " + scheduled.name() + " " + day);
        Optional<DispatchSummary> replayed = dispatcher.replay(identity);
        if (replayed.isPresent()) {
            watermarks.advance(scheduled.name(), day, identity.runId(), clock.instant());
            return replayed.get();
        }
        Optional<Watermark> watermark = watermarks.read(scheduled.name());
        LocalDate from = watermark.map(mark -> mark.day().plusDays(1)).orElse(day);
        if (from.isAfter(day)) {
            return new DispatchSummary(null, scheduled.name(), 0, 0, 1,
                    Map.of("at or before the watermark " + watermark.get().day(), 1), null, null,
                    Reprocess.ALL.id(), Order.OLDEST.id(), 0, false);
        }
        long behind = ChronoUnit.DAYS.between(from, day) + 1;
        if (behind > maxCatchUpDays) {
            throw new BackfillException("Schedule of job " + scheduled.name() + " is " + behind + " days behind: "
                    + "watermark " + watermark.map(mark -> mark.day().toString()).orElse("none") + ", logical day "
                    + day + "; at most " + maxCatchUpDays + " days are caught up by a firing. Backfill " + from
                    + " .. " + day.plusDays(1) + " by hand, then set the watermark to " + day);
        }
        DispatchSummary summary = dispatcher.start(planner.draft(scheduled, WindowRange.of(from, day.plusDays(1)),
                Reprocess.ALL, Order.OLDEST), identity);
        watermarks.advance(scheduled.name(), day, identity.runId(), clock.instant());
        return summary;
    }
}
