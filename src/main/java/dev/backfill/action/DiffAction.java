package dev.backfill.action;

import dev.backfill.action.DispatcherActions.TimeTravel;
import dev.backfill.InvalidRequestException;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunRecord;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.WindowJob;
import dev.backfill.report.Diff;
import dev.backfill.report.Snapshot;
import dev.backfill.report.TableDiff;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * {@code {"action":"diff","table":..,"start":..,"end":..,"before":..,"after":..}}: the table between two snapshots
 * ({@link Snapshot}: an instant, or {@code now}), per day and key: each measure of the job's output schema before
 * and after, the change and its percentage; totals; the days that appeared or vanished. Reads only.
 */
public final class DiffAction implements Action<DiffAction.Request> {

    private final JobRegistry jobs;
    private final DispatchPlanner planner;
    private final RunLedger ledger;
    private final TableDiff diff;
    private final Clock clock;
    private final TimeTravel settings;

    public DiffAction(JobRegistry jobs, DispatchPlanner planner, RunLedger ledger, TableDiff diff, Clock clock,
                      TimeTravel settings) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.diff = Objects.requireNonNull(diff, "diff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** {@code now} is the instant the request was checked at, so both sides agree on it. */
    public record Request(WindowJob job, WindowRange range, List<Window> days, Diff.Side before, Diff.Side after) {
    }

    @Override
    public String name() {
        return "diff";
    }

    @Override
    public Request parse(ActionInput input) {
        input.allow("table", "start", "end", "before", "after");
        WindowJob job = jobs.requireTable(input.text("table"));
        WindowRange range = WindowRange.of(input.date("start"), input.date("end"));
        List<Window> days = planner.windows(job, range);
        Instant now = clock.instant();
        return new Request(job, range, days, side(input, "before", now, job), side(input, "after", now, job));
    }

    private Diff.Side side(ActionInput input, String field, Instant now, WindowJob job) {
        Diff.Side side = TableDiff.side(Snapshot.parse(field, input.text(field)), now);
        if (side.stagedRun() != null) {
            RunRecord run = ledger.run(side.stagedRun()).orElseThrow(() -> new InvalidRequestException(
                    "Unknown runId '" + side.stagedRun() + "' in " + field));
            if (!run.job().equals(job.name())) {
                throw new InvalidRequestException("Run '" + side.stagedRun() + "' in " + field + " is of job "
                        + run.job() + ", not of table " + job.table() + "'s job " + job.name());
            }
            return side;
        }
        TimeTravelChecks.readable(field, side.asOf(), now, settings);
        return side;
    }

    @Override
    public Diff run(Request request) {
        return diff.compare(request.job(), request.range().start().toString(), request.range().end().toString(),
                request.days().stream().map(Window::label).toList(), request.before(), request.after());
    }
}
