package dev.backfill.dispatch;

import dev.backfill.job.JobRegistry;
import dev.backfill.job.WindowJob;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
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
    private final Clock clock;

    /** How the skip reason of windows older than the upstream's history starts. */
    public static final String NOT_SERVED = "not served";

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

    /**
     * @param nonces short random lowercase hex strings that make run ids unique
     * @param clock  tells today, the day a job's history is counted back from
     */
    public DispatchPlanner(JobRegistry jobs, WindowSelector selector, Settings settings, Supplier<String> nonces,
                           Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
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
     * The windows of a range at the job's grain, oldest first.
     *
     * @throws dev.backfill.InvalidRequestException if the range holds more windows than one request may ask for
     */
    public List<Window> windows(WindowJob job, WindowRange range) {
        return range.split(job.grain(), settings.zone(), settings.maxWindows());
    }

    /** The window a ledger or message label names. */
    public Window window(String label) {
        return Window.ofLabel(label, settings.zone());
    }

    /**
     * Which windows of {@code range} a backfill of {@code job} would run, and in which order. Windows of days the
     * job's upstream no longer serves ({@link WindowJob#history()}, as of today in the zone) are left out with the
     * reason {@value #NOT_SERVED}…, without looking at them further. Reads only.
     */
    public Draft draft(WindowJob job, WindowRange range, Reprocess reprocess, Order order) {
        List<Window> windows = windows(job, range);
        LocalDate today = clock.instant().atZone(settings.zone()).toLocalDate();
        Optional<LocalDate> oldest = job.history().oldestServed(today);
        List<Window> served = oldest.map(day -> windows.stream().filter(w -> !w.date().isBefore(day)).toList())
                .orElse(windows);
        WindowSelector.Selection selection = selector.select(job, served, reprocess);
        List<Window> toRun = new ArrayList<>(selection.toRun());
        if (order == Order.NEWEST) {
            Collections.reverse(toRun);
        }
        Map<String, Integer> skipped = new TreeMap<>(selection.skipped());
        if (served.size() < windows.size()) {
            skipped.put(notServed(oldest.get()), windows.size() - served.size());
        }
        return new Draft(job, range, settings.zone(), reprocess, order, windows, toRun, skipped);
    }

    /** The skip reason of windows older than the upstream's history. */
    static String notServed(LocalDate oldest) {
        return NOT_SERVED + " (the upstream serves days since " + oldest + ")";
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
