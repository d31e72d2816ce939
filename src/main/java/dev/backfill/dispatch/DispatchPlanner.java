package dev.backfill.dispatch;

import dev.backfill.job.JobRegistry;
import dev.backfill.ledger.RunRecord;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Turns a checked request into a run: an id, a fence and one message per day window, oldest first. Everything a
 * request can be refused for is checked here, before anything is written or sent.
 */
public final class DispatchPlanner {

    private static final DateTimeFormatter RUN_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final JobRegistry jobs;
    private final Settings settings;
    private final Clock clock;
    private final Supplier<String> nonces;

    /**
     * @param zone          the zone whose calendar days are the windows
     * @param maxWindows    the most windows one request may ask for
     * @param scheduledJob  the job the daily schedule runs
     */
    public record Settings(ZoneId zone, int maxWindows, String scheduledJob, String codeVersion) {
        public Settings {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(scheduledJob, "scheduledJob");
            Objects.requireNonNull(codeVersion, "codeVersion");
            if (maxWindows < 1) {
                throw new IllegalArgumentException("maxWindows must be at least 1: " + maxWindows);
            }
        }
    }

    /** @param nonces short random lowercase hex strings that make run ids unique */
    public DispatchPlanner(JobRegistry jobs, Settings settings, Clock clock, Supplier<String> nonces) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
    }

    /** @throws dev.backfill.InvalidRequestException if the job is unknown or the range is out of bounds */
    public RunPlan plan(DispatchRequest request) {
        if (request instanceof DispatchRequest.Scheduled scheduled) {
            return plan("schedule", settings.scheduledJob(), logicalDay(scheduled.scheduledTime()));
        }
        DispatchRequest.Backfill backfill = (DispatchRequest.Backfill) request;
        return plan("backfill", backfill.job(), backfill.range());
    }

    /** The day a schedule firing at {@code scheduledTime} processes: the day before, in the configured zone. */
    public WindowRange logicalDay(Instant scheduledTime) {
        LocalDate day = scheduledTime.atZone(settings.zone()).toLocalDate().minusDays(1);
        return WindowRange.of(day, day.plusDays(1));
    }

    private RunPlan plan(String trigger, String jobName, WindowRange range) {
        jobs.require(jobName);
        List<Window> windows = range.splitDays(settings.zone(), settings.maxWindows());
        Instant now = clock.instant();
        String runId = RUN_TIME.format(now) + "-" + nonces.get();
        long fence = fenceOf(now);
        List<WindowMessage> messages = windows.stream()
                .map(window -> WindowMessage.of(runId, jobName, window, fence))
                .toList();
        RunRecord run = new RunRecord(1, runId, jobName, trigger, range.start().toString(), range.end().toString(),
                windows.size(), windows.get(0).label(), windows.get(windows.size() - 1).label(), fence,
                settings.zone().getId(), settings.codeVersion(), now);
        return new RunPlan(run, messages);
    }

    /** Microseconds since the epoch: later runs get larger fences. */
    static long fenceOf(Instant created) {
        return Math.addExact(Math.multiplyExact(created.getEpochSecond(), 1_000_000L), created.getNano() / 1_000);
    }
}
