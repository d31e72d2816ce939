package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import dev.backfill.action.DispatcherActions.TimeTravel;
import dev.backfill.job.JobRegistry;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunRecord;
import dev.backfill.partition.GateCheck;
import dev.backfill.report.Diff;
import dev.backfill.report.RunReports;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersion;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code {"action":"report","runId":..}}: the diff of the run's days between the instant the run was created and
 * now, written as {@code _backfill/runs/<runId>/report.html} (self-contained: facts, a chart per measure, the
 * changed rows) and {@code report.csv}; answers their keys and versions, signed GET URLs, and the totals.
 */
public final class ReportAction implements Action<ReportAction.Request> {

    private final RunLedger ledger;
    private final JobRegistry jobs;
    private final RunReports reports;
    private final ObjectStore store;
    private final Clock clock;
    private final TimeTravel settings;

    public ReportAction(RunLedger ledger, JobRegistry jobs, RunReports reports, ObjectStore store, Clock clock,
                        TimeTravel settings) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.reports = Objects.requireNonNull(reports, "reports");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public record Request(RunRecord run, Instant now) {
    }

    /**
     * @param html    the report page: key, version id and a signed GET URL (null where the store cannot sign)
     * @param totals  per measure, over the run's days and every key
     * @param byKey   per key, each measure over the run's days
     */
    public record Answer(String runId, String job, String table, String start, String end, int days,
                         Instant before, Instant after, List<String> appeared, List<String> vanished,
                         Map<String, Diff.Change> totals, Map<String, Map<String, Diff.Change>> byKey, File html,
                         File csv, String afterSnapshot, GateSummary gates) {
    }

    /**
     * The audit gates {@code publish} would check, for a staged run not yet published; null otherwise.
     *
     * @param failed the failing checks, each as {@link GateCheck#describe()} says it
     */
    public record GateSummary(int checks, int passed, List<String> failed) {
    }

    /** One written file. */
    public record File(String key, String versionId, String url) {
    }

    @Override
    public String name() {
        return "report";
    }

    /**
     * Reads the run record here, so that an unknown run, a job no longer deployed or an expired history is refused
     * before the report is written.
     */
    @Override
    public Request parse(ActionInput input) {
        input.allow("runId");
        String runId = input.runId("runId");
        RunRecord run = ledger.run(runId).orElseThrow(() -> new InvalidRequestException("Unknown runId '" + runId
                + "'"));
        jobs.require(run.job());
        Instant now = clock.instant();
        TimeTravelChecks.readable("the run's creation", run.createdAt(), now, settings);
        return new Request(run, now);
    }

    @Override
    public Answer run(Request request) {
        RunRecord run = request.run();
        RunReports.Written written = reports.write(run, jobs.require(run.job()), request.now());
        Diff diff = written.diff();
        return new Answer(run.runId(), run.job(), diff.table(), run.start(), run.end(), diff.days().size(),
                diff.before().asOf(), diff.after().asOf(), diff.appeared(), diff.vanished(), diff.totals(),
                diff.byKey(), file(written.html()), file(written.csv()), diff.after().snapshot(), gates(written));
    }

    private static GateSummary gates(RunReports.Written written) {
        if (written.gates().isEmpty()) {
            return null;
        }
        List<String> failed = written.gates().stream().filter(check -> !check.passed()).map(GateCheck::describe)
                .toList();
        return new GateSummary(written.gates().size(), written.gates().size() - failed.size(), failed);
    }

    private File file(ObjectVersion written) {
        return new File(written.key(), written.versionId(), store.presign(written.key(), written.versionId(),
                settings.urlTtl()).map(Object::toString).orElse(null));
    }
}
