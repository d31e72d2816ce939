package dev.backfill.ledger;

import dev.backfill.BackfillException;
import dev.backfill.Json;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.PreconditionFailedException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The record of runs, kept in the data bucket itself (no database):
 * <pre>
 * _backfill/runs/&lt;runId&gt;/run.json                     the request and the plan, written once (If-None-Match)
 * _backfill/runs/&lt;runId&gt;/sent/&lt;chunk&gt;                 each chunk of 100 windows once it is on the queue
 * _backfill/runs/&lt;runId&gt;/windows/&lt;label&gt;/&lt;step&gt;.json  each step of each window (see {@link WindowEvent})
 * _backfill/runs/&lt;runId&gt;/CANCELLED                    the cancel marker
 * </pre>
 * Nothing here is overwritten except the cancel marker, so concurrent writers never erase each other. Reading a
 * run's progress lists keys; it never reads one object per window.
 */
public final class RunLedger {

    public static final String PREFIX = "_backfill/runs/";

    private final ObjectStore store;

    public RunLedger(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public static String runKey(String runId) {
        return PREFIX + runId + "/run.json";
    }

    public static String windowsPrefix(String runId) {
        return PREFIX + runId + "/windows/";
    }

    static String sentPrefix(String runId) {
        return PREFIX + runId + "/sent/";
    }

    static String cancelKey(String runId) {
        return PREFIX + runId + "/CANCELLED";
    }

    /**
     * Records a new run, only if no run has that id ({@code If-None-Match: *}).
     *
     * @throws RunExistsException if a run with that id exists already, created by an earlier or concurrent request
     */
    public void createRun(RunRecord run) {
        try {
            store.putIfAbsent(runKey(run.runId()), Json.write(run));
        } catch (PreconditionFailedException e) {
            throw new RunExistsException(run.runId());
        }
    }

    public Optional<RunRecord> run(String runId) {
        return store.get(runKey(runId)).map(object -> Json.read(object.content(), RunRecord.class));
    }

    /** Records one step of a window under a key of its own. */
    public void record(WindowStatus status) {
        store.put(windowsPrefix(status.runId()) + status.label() + "/" + WindowEvent.name(status), Json.write(status));
    }

    /** Every recorded step of every window of a run, by listing (one request per 1,000 steps). */
    public List<WindowEvent> events(String runId) {
        String prefix = windowsPrefix(runId);
        return store.list(prefix).stream()
                .map(summary -> WindowEvent.parse(prefix, summary.key()))
                .flatMap(Optional::stream)
                .toList();
    }

    /** The full record behind a listed step (its error, its manifest version). */
    public Optional<WindowStatus> read(WindowEvent event) {
        return store.get(event.key()).map(object -> Json.read(object.content(), WindowStatus.class));
    }

    /** The deciding step of one window, read whole; empty when no worker recorded anything yet. */
    public Optional<WindowStatus> window(String runId, String label) {
        String prefix = windowsPrefix(runId);
        List<WindowEvent> events = store.list(prefix + label + "/").stream()
                .map(summary -> WindowEvent.parse(prefix, summary.key()))
                .flatMap(Optional::stream)
                .toList();
        return WindowEvent.deciding(events).flatMap(this::read);
    }

    /** Notes that chunk {@code index} of the run's plan is on the queue. */
    public void markSent(String runId, int index) {
        store.put(sentPrefix(runId) + String.format("%05d", index), new byte[0]);
    }

    /** The chunks of the plan known to be on the queue. */
    public Set<Integer> sentChunks(String runId) {
        Set<Integer> sent = new TreeSet<>();
        for (ObjectSummary summary : store.list(sentPrefix(runId))) {
            try {
                sent.add(Integer.parseInt(summary.key().substring(sentPrefix(runId).length())));
            } catch (NumberFormatException e) {
                // Not a marker this ledger wrote: ignore it.
            }
        }
        return sent;
    }

    /** Marks the run cancelled; workers consume its pending messages without work. Repeating it changes nothing. */
    public void cancel(String runId, Instant at) {
        if (!isCancelled(runId)) {
            store.put(cancelKey(runId), Json.write(new Cancellation(runId, at)));
        }
    }

    public boolean isCancelled(String runId) {
        return store.get(cancelKey(runId)).isPresent();
    }

    /** Lifts a cancellation, so that re-sent windows run again. */
    public void uncancel(String runId) {
        store.deleteAll(List.of(cancelKey(runId)));
    }

    /** The cancel marker's content. */
    public record Cancellation(String runId, Instant cancelledAt) {
    }

    /** A run id that is taken. */
    public static final class RunExistsException extends BackfillException {
        public RunExistsException(String runId) {
            super("Run " + runId + " exists already");
        }
    }
}
