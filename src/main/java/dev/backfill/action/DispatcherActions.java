package dev.backfill.action;

import dev.backfill.audit.BackfillabilityAudit;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.dispatch.Dispatcher;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.UpstreamProbe;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.dispatch.WindowSelector;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.Fences;
import dev.backfill.ledger.RunIndex;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.Watermarks;
import dev.backfill.partition.StagedPartitions;
import dev.backfill.partition.StagedPublisher;
import dev.backfill.store.ObjectStore;
import dev.backfill.partition.TableReader;
import dev.backfill.report.RunReports;
import dev.backfill.report.TableDiff;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Assembles every dispatcher action behind one router, over a store and a queue: the function's and the tests'. */
public final class DispatcherActions {

    private DispatcherActions() {
    }

    /**
     * @param zone           the zone whose calendar days are the windows, and the schedule's zone
     * @param maxWindows     the most windows one request may ask for
     * @param codeVersion    the deployed code's version, recorded in runs and compared by {@code stale}
     * @param scheduledJob   the job the schedule runs
     * @param maxCatchUpDays the most days one scheduled firing dispatches
     * @param timeTravel     how far back reads reach and how much one read answers inline
     */
    public record Settings(ZoneId zone, int maxWindows, String codeVersion, String scheduledJob, int maxCatchUpDays,
                           Estimator.Settings estimates, TimeTravel timeTravel) {
        public Settings {
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(codeVersion, "codeVersion");
            Objects.requireNonNull(scheduledJob, "scheduledJob");
            Objects.requireNonNull(estimates, "estimates");
            Objects.requireNonNull(timeTravel, "timeTravel");
        }

        /** With the default {@link TimeTravel}. */
        public Settings(ZoneId zone, int maxWindows, String codeVersion, String scheduledJob, int maxCatchUpDays,
                        Estimator.Settings estimates) {
            this(zone, maxWindows, codeVersion, scheduledJob, maxCatchUpDays, estimates, TimeTravel.DEFAULTS);
        }

        /** How long the bucket keeps replaced versions: how far back {@code inputsAsOf} reaches, too. */
        public Duration inputRetention() {
            return Duration.ofDays(timeTravel.retentionDays());
        }
    }

    /**
     * @param retentionDays days the bucket keeps a replaced version (NoncurrentVersionRetentionDays): instants older
     *                      than that are refused, as the versions current then may be gone
     * @param rowLimit      the most rows {@code read} answers inline; over it, the part objects with signed URLs
     * @param urlTtl        how long a signed URL is valid (at most 7 days)
     */
    public record TimeTravel(int retentionDays, int rowLimit, Duration urlTtl) {
        public static final TimeTravel DEFAULTS = new TimeTravel(90, 10_000, Duration.ofHours(1));

        public TimeTravel {
            if (retentionDays < 1 || rowLimit < 0) {
                throw new IllegalArgumentException("TimeTravel needs retentionDays >= 1 and rowLimit >= 0, not "
                        + retentionDays + " and " + rowLimit);
            }
            Objects.requireNonNull(urlTtl, "urlTtl");
        }
    }

    /**
     * @param budget   the upstream budget the plan's probe spends
     * @param io       runs S3 reads and the queue's batches in parallel
     * @param dispatch runs chunks of a dispatch; must not be {@code io}, whose tasks the chunks wait on
     */
    public static ActionRouter router(JobRegistry jobs, ObjectStore store, WindowQueue queue, Clock clock,
                                      RateBudget budget, Supplier<String> nonces, Executor io, Executor dispatch,
                                      Settings settings) {
        RunLedger ledger = new RunLedger(store);
        RunIndex index = new RunIndex(store);
        DispatchPlanner planner = new DispatchPlanner(jobs,
                new WindowSelector(store, ledger, index, io, settings.codeVersion()),
                new DispatchPlanner.Settings(settings.zone(), settings.maxWindows()), nonces, clock);
        Dispatcher dispatcher = new Dispatcher(ledger, index, new Fences(store), queue, dispatch, clock,
                settings.codeVersion());
        Watermarks watermarks = new Watermarks(store);
        TableReader reader = new TableReader(store);
        return new ActionRouter(List.of(
                new BackfillAction(planner, dispatcher, clock, settings.inputRetention()),
                new PlanAction(planner, new UpstreamProbe(store, () -> budget, io),
                        new Estimator(index, ledger, settings.estimates()), clock, settings.inputRetention()),
                new StatusAction(ledger, clock),
                new RunsAction(planner, index, ledger, io, clock),
                new CancelAction(ledger, clock),
                new RetryAction(ledger, dispatcher),
                new RedriveAction(queue),
                new WatermarkAction(planner, watermarks, clock),
                new AuditAction(planner, new BackfillabilityAudit(store, clock, () -> budget, nonces,
                        settings.codeVersion()), clock),
                new ReadAction(jobs, planner, reader, store, clock, settings.timeTravel()),
                new DiffAction(jobs, planner, ledger, new TableDiff(reader, new StagedPartitions(store)), clock,
                        settings.timeTravel()),
                new ReportAction(ledger, jobs,
                        new RunReports(store, new TableDiff(reader, new StagedPartitions(store))), store, clock,
                        settings.timeTravel()),
                new PublishAction(planner, ledger, new StagedPublisher(store, clock), new StagedPartitions(store), io,
                        clock),
                new DiscardAction(planner, ledger, new StagedPublisher(store, clock), clock)),
                new ScheduleAction(planner, dispatcher, watermarks, clock, settings.scheduledJob(),
                        settings.maxCatchUpDays()));
    }
}
