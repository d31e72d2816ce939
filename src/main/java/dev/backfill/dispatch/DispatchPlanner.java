package dev.backfill.dispatch;

import dev.backfill.job.JobRegistry;
import dev.backfill.job.WindowJob;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Works out backfills without starting them: the day windows of a range in the configured zone, the ones the
 * reprocess policy runs and their order. Reads the bucket (through the selector), writes nothing.
 */
public final class DispatchPlanner {

    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final JobRegistry jobs;
    private final WindowSelector selector;
    private final Settings settings;
    private final Supplier<String> nonces;

    /**
     * @param zone       the zone whose calendar days are the windows, and the schedule's zone
     * @param maxWindows the most windows one request may ask for
     */
    public record Settings(ZoneId zone, int maxWindows) {
        public Settings {
            Objects.requireNonNull(zone, "zone");
            if (maxWindows < 1) {
                throw new IllegalArgumentException("maxWindows must be at least 1: " + maxWindows);
            }
        }
    }

    /** @param nonces short random lowercase hex strings that make run ids unique */
    public DispatchPlanner(JobRegistry jobs, WindowSelector selector, Settings settings, Supplier<String> nonces) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.selector = Objects.requireNonNull(selector, "selector");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    public ZoneId zone() {
        return settings.zone();
    }

    /** @throws dev.backfill.InvalidRequestException if no job has that name */
    public WindowJob job(String name) {
        return jobs.require(name);
    }

    /**
     * The day windows of a range, oldest first.
     *
     * @throws dev.backfill.InvalidRequestException if the range holds more windows than one request may ask for
     */
    public List<Window> windows(WindowRange range) {
        return range.splitDays(settings.zone(), settings.maxWindows());
    }

    /** The window a ledger or message label names. */
    public Window window(String label) {
        return Window.day(LocalDate.parse(label), settings.zone());
    }

    /** Which windows of {@code range} a backfill of {@code job} would run, and in which order. Reads only. */
    public Draft draft(WindowJob job, WindowRange range, Reprocess reprocess, Order order) {
        List<Window> windows = windows(range);
        WindowSelector.Selection selection = selector.select(job, windows, reprocess);
        List<Window> toRun = new ArrayList<>(selection.toRun());
        if (order == Order.NEWEST) {
            Collections.reverse(toRun);
        }
        return new Draft(job, range, settings.zone(), reprocess, order, windows, toRun, selection.skipped());
    }

    /** The day a schedule firing at {@code scheduledTime} processes: the day before, in the configured zone. */
    public LocalDate logicalDay(Instant scheduledTime) {
        return scheduledTime.atZone(settings.zone()).toLocalDate().minusDays(1);
    }

    /** A new, unique run id such as {@code 20261125T144019Z-3d187b}. */
    public String newRunId(Instant now) {
        return RUN_TIME.format(now) + "-" + nonces.get();
    }
}
