package dev.backfill.ledger;

import dev.backfill.BackfillException;
import dev.backfill.Json;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.PreconditionFailedException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The record of runs, kept in the data bucket itself (no database):
 * <pre>
 * _backfill/runs/&lt;runId&gt;/run.json               the request and the plan
 * _backfill/runs/&lt;runId&gt;/windows/&lt;label&gt;.json   each window's state
 * </pre>
 * Window files are overwritten as a window moves on; the last write wins.
 */
public final class RunLedger {

    public static final String PREFIX = "_backfill/runs/";

    private final ObjectStore store;
    private final Executor executor;

    /** @param executor runs the many small writes of {@link #markQueued} in parallel */
    public RunLedger(ObjectStore store, Executor executor) {
        this.store = Objects.requireNonNull(store, "store");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    public static String runKey(String runId) {
        return PREFIX + runId + "/run.json";
    }

    public static String windowKey(String runId, String label) {
        return PREFIX + runId + "/windows/" + label + ".json";
    }

    /**
     * Records a new run.
     *
     * @throws BackfillException if a run with that id exists already
     */
    public void createRun(RunRecord run) {
        try {
            store.putIfAbsent(runKey(run.runId()), Json.write(run));
        } catch (PreconditionFailedException e) {
            throw new BackfillException("Run " + run.runId() + " exists already", e);
        }
    }

    /** Marks every window of a run queued, writing in parallel; returns when all are written. */
    public void markQueued(String runId, List<String> labels) {
        CompletableFuture<?>[] writes = labels.stream()
                .map(label -> CompletableFuture.runAsync(() -> record(WindowStatus.queued(runId, label)), executor))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(writes).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** Writes a window's status, replacing the previous one. */
    public void record(WindowStatus status) {
        store.put(windowKey(status.runId(), status.label()), Json.write(status));
    }

    public Optional<RunRecord> run(String runId) {
        return store.get(runKey(runId)).map(object -> Json.read(object.content(), RunRecord.class));
    }

    public Optional<WindowStatus> window(String runId, String label) {
        return store.get(windowKey(runId, label)).map(object -> Json.read(object.content(), WindowStatus.class));
    }
}
