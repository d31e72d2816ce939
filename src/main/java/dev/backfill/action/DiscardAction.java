package dev.backfill.action;

import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunProgress;
import dev.backfill.ledger.RunRecord;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.partition.PartitionPath;
import dev.backfill.partition.StagedPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * {@code {"action":"discard","runId":.., "job"?}}: deletes a staged run's staged output — its staged parts and
 * manifests in every partition of its plan — and nothing else: the live table is untouched, and windows the run has
 * published stay published. Cancels the run first, so its pending windows stage nothing more; discarded windows are
 * recorded {@code cancelled}, so {@code retry} would compute and stage them again. A window running at that moment may
 * still stage after the discard: discard again once {@code status} shows none running.
 */
public final class DiscardAction implements Action<RunLookup> {

    private final DispatchPlanner planner;
    private final RunLedger ledger;
    private final StagedPublisher publisher;
    private final Clock clock;

    public DiscardAction(DispatchPlanner planner, RunLedger ledger, StagedPublisher publisher, Clock clock) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param windows windows whose staged output was deleted
     * @param objects objects deleted
     * @param running windows still running, which may stage after this discard
     */
    public record Answer(String runId, String job, int windows, int objects, int running) {
    }

    @Override
    public String name() {
        return "discard";
    }

    @Override
    public RunLookup parse(ActionInput input) {
        return RunLookup.parse(input.allow("runId", "job"));
    }

    @Override
    public Answer run(RunLookup request) {
        RunProgress progress = request.read(ledger);
        RunRecord run = PublishAction.stagedRun(progress.run(), "discarded");
        String table = planner.job(run.job()).table();
        Instant now = clock.instant();
        ledger.cancel(run.runId(), now);
        Map<String, WindowState> states = progress.states();
        int windows = 0;
        int objects = 0;
        for (String label : run.labels()) {
            int deleted = publisher.discard(new PartitionPath(table, label), run.runId());
            objects += deleted;
            if (deleted > 0 || states.get(label) == WindowState.STAGED) {
                windows++;
                ledger.record(WindowStatus.settled(run.runId(), label, WindowState.CANCELLED, now, null,
                        "discarded", null));
            }
        }
        int running = (int) states.values().stream().filter(state -> state == WindowState.RUNNING).count();
        return new Answer(run.runId(), run.job(), windows, objects, running);
    }
}
