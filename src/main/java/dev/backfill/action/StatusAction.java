package dev.backfill.action;

import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunStatus;
import java.time.Clock;
import java.util.Objects;

/**
 * {@code {"action":"status","runId":.., "job"?}}: where a run stands — state, windows by state, percent done,
 * failed windows with their last error, an ETA. Reads the plan and lists the run's window steps (requests grow with
 * windows / 1,000); reads one object per failed window shown, at most 20.
 */
public final class StatusAction implements Action<RunLookup> {

    private final RunLedger ledger;
    private final Clock clock;

    public StatusAction(RunLedger ledger, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public RunLookup parse(ActionInput input) {
        return RunLookup.parse(input.allow("runId", "job"));
    }

    @Override
    public RunStatus run(RunLookup request) {
        return request.read(ledger).status(clock.instant(), ledger::read);
    }
}
