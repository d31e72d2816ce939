package dev.backfill.action;

import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.dispatch.Draft;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.Estimator.Estimate;
import dev.backfill.dispatch.UpstreamProbe;
import dev.backfill.dispatch.UpstreamProbe.Found;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code {"action":"plan", ...the fields of backfill}}: a dry run. Writes nothing and sends nothing; answers which
 * windows would run under the reprocess policy (and why the others would not), in which order, what the upstream
 * holds for each (the probe: is last year still served?), the estimated requests and makespan, and warnings. Windows
 * older than the job's {@link dev.backfill.job.WindowJob#history() history} are reported as not served (a skip reason
 * and a warning) and not probed.
 */
public final class PlanAction implements Action<BackfillAction.Request> {

    private final DispatchPlanner planner;
    private final UpstreamProbe probe;
    private final Estimator estimator;
    private final Clock clock;
    private final java.time.Duration inputRetention;

    public PlanAction(DispatchPlanner planner, UpstreamProbe probe, Estimator estimator, Clock clock,
                      java.time.Duration inputRetention) {
        this.inputRetention = Objects.requireNonNull(inputRetention, "inputRetention");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param inRange  windows in the requested range
     * @param toRun    windows that would run
     * @param skipped  windows that would not, by reason
     * @param missing  windows to run whose input the upstream does not hold
     * @param windows  each window to run, in send order, with what the probe found
     */
    public record Answer(String job, String start, String end, String reprocess, String order, int inRange, int toRun,
                         Map<String, Integer> skipped, String first, String last, int missing, long inputObjects,
                         long inputBytes, Estimate estimate, List<String> warnings, List<Found> windows) {
    }

    @Override
    public String name() {
        return "plan";
    }

    @Override
    public BackfillAction.Request parse(ActionInput input) {
        return BackfillAction.parseRequest(input.allow(BackfillAction.FIELDS), planner, clock, inputRetention);
    }

    @Override
    public Answer run(BackfillAction.Request request) {
        Draft draft = planner.draft(request.job(), request.range(), request.reprocess(), request.order());
        List<Found> found = probe.probe(request.job(), draft.toRun());
        List<String> labels = draft.labels();
        return new Answer(request.job().name(), request.range().start().toString(), request.range().end().toString(),
                request.reprocess().id(), request.order().id(), draft.windows().size(), labels.size(),
                draft.skipped(), labels.isEmpty() ? null : labels.get(0),
                labels.isEmpty() ? null : labels.get(labels.size() - 1),
                (int) found.stream().filter(Found::missing).count(), found.stream().mapToLong(Found::objects).sum(),
                found.stream().mapToLong(Found::bytes).sum(), estimator.estimate(request.job().name(), found),
                warnings(draft, found), found);
    }

    /** The estimator's warnings, and one for windows the upstream no longer serves (never probed). */
    private List<String> warnings(Draft draft, List<Found> found) {
        List<String> warnings = new ArrayList<>(estimator.warnings(found));
        draft.skipped().forEach((reason, count) -> {
            if (reason.startsWith(DispatchPlanner.NOT_SERVED)) {
                warnings.add(count + " window(s) of the range are " + reason + "; they are left out");
            }
        });
        return List.copyOf(warnings);
    }
}
