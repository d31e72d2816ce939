package dev.backfill.action;

import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunProgress;
import dev.backfill.ledger.WindowState;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * {@code {"action":"cancel","runId":.., "job"?}}: writes the run's cancel marker. After it returns no window of the
 * run starts: workers consume the run's pending messages without work and record them {@code cancelled}; a window
 * already past its manifest PUT finishes. {@code retry} lifts it.
 */
public final class CancelAction implements Action<RunLookup> {

    private final RunLedger ledger;
    private final Clock clock;

    public CancelAction(RunLedger ledger, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param pending windows that will now not run (queued or never sent)
     * @param running windows in progress: each stops before its commit, or finishes if past it
     */
    public record Answer(String runId, boolean cancelled, Instant cancelledAt, int pending, int running) {
    }

    @Override
    public String name() {
        return "cancel";
    }

    @Override
    public RunLookup parse(ActionInput input) {
        return RunLookup.parse(input.allow("runId", "job"));
    }

    @Override
    public Answer run(RunLookup request) {
        RunProgress progress = request.read(ledger);
        Instant now = clock.instant();
        ledger.cancel(request.runId(), now);
        Map<String, WindowState> states = progress.states();
        int pending = (int) states.values().stream()
                .filter(state -> state == WindowState.QUEUED || state == WindowState.UNSENT).count();
        int running = (int) states.values().stream().filter(state -> state == WindowState.RUNNING).count();
        return new Answer(request.runId(), true, now, pending, running);
    }
}
