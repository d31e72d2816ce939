package dev.backfill.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A run's plan and what the ledger lists about it: each window's deciding step, the chunks on the queue, the cancel
 * marker. Reading it costs one GET of the plan and listings that grow with windows / 1,000.
 */
public final class RunProgress {

    static final int MAX_FAILURES = 20;

    private final RunRecord run;
    private final Map<String, WindowEvent> deciding;
    private final Set<Integer> sentChunks;
    private final boolean cancelled;

    public RunProgress(RunRecord run, Collection<WindowEvent> events, Set<Integer> sentChunks, boolean cancelled) {
        this.run = Objects.requireNonNull(run, "run");
        this.deciding = events.stream().collect(Collectors.groupingBy(WindowEvent::label)).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey,
                        entry -> WindowEvent.deciding(entry.getValue()).orElseThrow()));
        this.sentChunks = Set.copyOf(sentChunks);
        this.cancelled = cancelled;
    }

    /** Reads a run's progress from the ledger. */
    public static Optional<RunProgress> read(RunLedger ledger, String runId) {
        return ledger.run(runId).map(run -> new RunProgress(run, ledger.events(runId), ledger.sentChunks(runId),
                ledger.isCancelled(runId)));
    }

    public RunRecord run() {
        return run;
    }

    /** True when the run's cancel marker is present. */
    public boolean cancelled() {
        return cancelled;
    }

    /** Each planned window's state, in send order. */
    public Map<String, WindowState> states() {
        Map<String, WindowState> states = new LinkedHashMap<>();
        for (int chunk = 0; chunk < run.chunks(); chunk++) {
            boolean sent = sentChunks.contains(chunk);
            for (String label : run.chunk(chunk)) {
                WindowEvent event = deciding.get(label);
                states.put(label, event != null ? event.state() : sent ? WindowState.QUEUED : WindowState.UNSENT);
            }
        }
        return states;
    }

    /** The deciding steps of the windows that have any, by label. */
    public Map<String, WindowEvent> deciding() {
        return Map.copyOf(deciding);
    }

    /** Where the run stands; {@code failures} carry errors read by {@code errors} (label → error). */
    public RunStatus status(Instant now, Function<WindowEvent, Optional<WindowStatus>> details) {
        Map<WindowState, Integer> counts = new EnumMap<>(WindowState.class);
        for (WindowState state : WindowState.values()) {
            counts.put(state, 0);
        }
        states().values().forEach(state -> counts.merge(state, 1, Integer::sum));
        int done = counts.get(WindowState.SUCCEEDED) + counts.get(WindowState.SUPERSEDED)
                + counts.get(WindowState.STAGED);
        int pending = counts.get(WindowState.QUEUED) + counts.get(WindowState.RUNNING);
        Optional<Instant> started = deciding.values().stream().map(WindowEvent::at).min(Comparator.naturalOrder());
        Optional<Instant> updated = deciding.values().stream().map(WindowEvent::at).max(Comparator.naturalOrder());
        Map<String, Integer> byId = new LinkedHashMap<>();
        counts.forEach((state, count) -> byId.put(state.id(), count));
        return new RunStatus(run.runId(), run.job(), run.trigger(), state(counts, done, pending), run.windows(), byId,
                run.windows() == 0 ? 100.0 : Math.round(1000.0 * done / run.windows()) / 10.0,
                failures(details), run.createdAt(), started.orElse(null), updated.orElse(null),
                Duration.between(run.createdAt(), updated.orElse(run.createdAt())).toSeconds(),
                eta(now, done, pending, started, updated), cancelled, run.first(), run.last(), run.fence());
    }

    private String state(Map<WindowState, Integer> counts, int done, int pending) {
        if (cancelled && counts.get(WindowState.RUNNING) == 0) {
            return "cancelled";
        }
        if (pending > 0) {
            return deciding.isEmpty() ? "queued" : "running";
        }
        if (done == run.windows()) {
            return counts.get(WindowState.STAGED) > 0 ? "staged" : "succeeded";
        }
        return done == 0 && counts.get(WindowState.UNSENT) == 0 ? "failed" : "partial";
    }

    private List<RunStatus.Failure> failures(Function<WindowEvent, Optional<WindowStatus>> details) {
        Map<String, String> errors = new HashMap<>();
        List<WindowEvent> failed = deciding.values().stream()
                .filter(event -> event.state() == WindowState.FAILED)
                .sorted(Comparator.comparing(WindowEvent::label))
                .limit(MAX_FAILURES)
                .toList();
        failed.forEach(event -> details.apply(event).ifPresent(status -> errors.put(event.label(), status.error())));
        return failed.stream()
                .map(event -> new RunStatus.Failure(event.label(), event.attempts(), errors.get(event.label()),
                        event.at()))
                .toList();
    }

    /** Pending windows at the pace the run has kept so far: done windows per second since the first start. */
    private static Instant eta(Instant now, int done, int pending, Optional<Instant> started,
                               Optional<Instant> updated) {
        if (pending == 0 || done == 0 || started.isEmpty() || updated.isEmpty()) {
            return null;
        }
        long elapsedMillis = Math.max(1, Duration.between(started.get(), updated.get()).toMillis());
        long remainingMillis = (long) Math.ceil((double) elapsedMillis * pending / done);
        Instant from = updated.get().isAfter(now) ? updated.get() : now;
        return from.plusMillis(remainingMillis);
    }
}
