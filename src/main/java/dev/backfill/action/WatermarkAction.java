package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.ledger.Watermarks;
import dev.backfill.ledger.Watermarks.Watermark;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code {"action":"watermark","job":..}} reads a job's schedule watermark (the last logical day the schedule
 * dispatched); {@code {"action":"watermark","job":..,"set":"2026-04-01"}} overrides it. The next firing dispatches
 * every day after it, up to its own logical day.
 */
public final class WatermarkAction implements Action<WatermarkAction.Request> {

    private final DispatchPlanner planner;
    private final Watermarks watermarks;
    private final Clock clock;

    public WatermarkAction(DispatchPlanner planner, Watermarks watermarks, Clock clock) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.watermarks = Objects.requireNonNull(watermarks, "watermarks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public record Request(String job, Optional<LocalDate> set) {
    }

    /** @param day the watermark, null when the schedule never ran and none was set */
    public record Answer(String job, LocalDate day, String by, java.time.Instant updatedAt, LocalDate previous) {
    }

    @Override
    public String name() {
        return "watermark";
    }

    @Override
    public Request parse(ActionInput input) {
        input.allow("job", "set");
        String job = planner.job(input.text("job")).name();
        Optional<LocalDate> set = input.optionalDate("set");
        LocalDate today = clock.instant().atZone(planner.zone()).toLocalDate();
        if (set.isPresent() && !set.get().isBefore(today)) {
            throw new InvalidRequestException("Cannot set the watermark to " + set.get() + ": the schedule would "
                    + "skip days that have not ended; at most " + today.minusDays(1) + " (yesterday in "
                    + planner.zone() + ")");
        }
        return new Request(job, set);
    }

    @Override
    public Answer run(Request request) {
        Optional<Watermark> current = watermarks.read(request.job());
        LocalDate previous = current.map(Watermark::day).orElse(null);
        if (request.set().isEmpty()) {
            return current.map(mark -> new Answer(mark.job(), mark.day(), mark.by(), mark.updatedAt(), null))
                    .orElse(new Answer(request.job(), null, null, null, null));
        }
        Watermark set = watermarks.set(request.job(), request.set().get(), "set by hand", clock.instant());
        return new Answer(set.job(), set.day(), set.by(), set.updatedAt(), previous);
    }
}
