package dev.backfill.action;

import dev.backfill.dispatch.Dispatcher;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunProgress;
import dev.backfill.ledger.RunRecord;
import dev.backfill.ledger.WindowState;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * {@code {"action":"retry","runId":.., "job"?}}: sends the run's failed and cancelled windows, and any never sent,
 * again — under the same run id and fence, so a retry can never overwrite a newer run's output (the commit protocol
 * calls it superseded). Lifts a cancellation first.
 */
public final class RetryAction implements Action<RunLookup> {

    private static final Set<WindowState> RETRIED = Set.of(WindowState.FAILED, WindowState.CANCELLED,
            WindowState.UNSENT);

    private final RunLedger ledger;
    private final Dispatcher dispatcher;

    public RetryAction(RunLedger ledger, Dispatcher dispatcher) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /**
     * @param retried     windows sent again, by the state they were in
     * @param enqueued    of those, on the queue now
     * @param notEnqueued labels the queue refused; retry again
     */
    public record Answer(String runId, long fence, Map<String, Integer> retried, int enqueued,
                         List<String> notEnqueued) {
    }

    @Override
    public String name() {
        return "retry";
    }

    @Override
    public RunLookup parse(ActionInput input) {
        return RunLookup.parse(input.allow("runId", "job"));
    }

    @Override
    public Answer run(RunLookup request) {
        RunProgress progress = request.read(ledger);
        RunRecord run = progress.run();
        Map<String, WindowState> states = progress.states();
        List<String> labels = states.entrySet().stream().filter(entry -> RETRIED.contains(entry.getValue()))
                .map(Map.Entry::getKey).toList();
        Map<String, Integer> retried = new TreeMap<>();
        labels.forEach(label -> retried.merge(states.get(label).id(), 1, Integer::sum));
        if (progress.cancelled()) {
            ledger.uncancel(run.runId());
        }
        List<String> refused = labels.isEmpty() ? List.of() : dispatcher.resend(run, labels);
        Set<String> refusedSet = new HashSet<>(refused);
        Set<Integer> nowSent = new HashSet<>();
        IntStream.range(0, run.chunks()).forEach(chunk -> {
            boolean hadUnsent = run.chunk(chunk).stream().anyMatch(label -> states.get(label) == WindowState.UNSENT);
            if (hadUnsent && run.chunk(chunk).stream().noneMatch(refusedSet::contains)) {
                nowSent.add(chunk);
            }
        });
        dispatcher.markSent(run, nowSent);
        return new Answer(run.runId(), run.fence(), retried, labels.size() - refused.size(), refused);
    }
}
