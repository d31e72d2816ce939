package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import dev.backfill.audit.BackfillabilityAudit;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.job.WindowJob;
import dev.backfill.window.WindowRange;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;

/**
 * {@code {"action":"audit","job":..,"day":"2026-04-09"}} asks whether a job is backfillable: the four questions of
 * {@link BackfillabilityAudit}, answered by running the job on a scratch copy of its table (never the live one), with
 * a score from 0 to 4, the evidence for each question and what to fix. {@code day} defaults to the day before yesterday in the
 * deployment's zone; it must have ended, and so must the day after it, which question 4 runs too. For an hour-grain
 * job the audit runs the first hour of each day.
 */
public final class AuditAction implements Action<AuditAction.Request> {

    private final DispatchPlanner planner;
    private final BackfillabilityAudit audit;
    private final Clock clock;

    public AuditAction(DispatchPlanner planner, BackfillabilityAudit audit, Clock clock) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public record Request(String job, LocalDate day, LocalDate today) {
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public Request parse(ActionInput input) {
        input.allow("job", "day");
        String job = planner.job(input.text("job")).name();
        LocalDate today = clock.instant().atZone(planner.zone()).toLocalDate();
        LocalDate latest = today.minusDays(2);
        LocalDate day = input.optionalDate("day").orElse(latest);
        if (day.isAfter(latest)) {
            throw new InvalidRequestException("Cannot audit day " + day + ": the audit also runs the day after it, "
                    + "and both must have ended; at most " + latest + " (in " + planner.zone() + ")");
        }
        return new Request(job, day, today);
    }

    @Override
    public BackfillabilityAudit.Report run(Request request) {
        WindowJob job = planner.job(request.job());
        // A day's first window: the day itself, or its first hour for an hour-grain job.
        return audit.audit(job, request.day(),
                day -> planner.windows(job, WindowRange.of(day, day.plusDays(1))).get(0), request.today());
    }
}
