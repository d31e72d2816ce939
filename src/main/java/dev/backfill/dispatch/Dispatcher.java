package dev.backfill.dispatch;

import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowStatus;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Starts runs: plans the request (refusing it before anything is written), records the run and its queued windows in
 * the ledger, then sends one message per window. The ledger is written first so that a worker's "running" can never
 * be overwritten by a late "queued".
 */
public final class Dispatcher {

    private final DispatchPlanner planner;
    private final RunLedger ledger;
    private final WindowQueue queue;
    private final Clock clock;

    public Dispatcher(DispatchPlanner planner, RunLedger ledger, WindowQueue queue, Clock clock) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws dev.backfill.InvalidRequestException if the request is refused; nothing was written or sent
     * @throws DispatchFailedException              if some windows could not be enqueued; they are marked failed
     */
    public DispatchSummary dispatch(DispatchRequest request) {
        RunPlan plan = planner.plan(request);
        String runId = plan.run().runId();
        ledger.createRun(plan.run());
        ledger.markQueued(runId, plan.labels());

        List<WindowMessage> unsent = queue.send(plan.messages());
        int enqueued = plan.messages().size() - unsent.size();
        if (!unsent.isEmpty()) {
            unsent.forEach(message -> ledger.record(WindowStatus.queued(runId, message.window().label())
                    .failed(clock.instant(), "not enqueued: the queue refused the message")));
            throw new DispatchFailedException("Enqueued " + enqueued + " of " + plan.messages().size()
                    + " windows of run " + runId + "; not enqueued: " + unsent.get(0).window().label()
                    + (unsent.size() > 1 ? " and " + (unsent.size() - 1) + " more" : ""));
        }
        return new DispatchSummary(runId, plan.messages().size(), enqueued, plan.run().first(), plan.run().last());
    }
}
