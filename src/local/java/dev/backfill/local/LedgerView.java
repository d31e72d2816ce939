package dev.backfill.local;

import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunProgress;
import dev.backfill.ledger.WindowState;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where the runs in the ledger stand, read again on each {@link #refresh()}: one listing of {@code _backfill/runs/}
 * finds the runs, then each run's progress is read as {@code status} reads it (its plan and a listing of its steps).
 */
public final class LedgerView {

    private final ObjectStore store;
    private final RunLedger ledger;

    /** The state of every run, by run id; each run's windows by label. */
    public record Snapshot(NavigableMap<String, Map<String, WindowState>> runs) {

        /** Windows in each state over all runs. */
        public Map<WindowState, Integer> totals() {
            Map<WindowState, Integer> totals = new EnumMap<>(WindowState.class);
            runs.values().forEach(run -> run.values().forEach(state -> totals.merge(state, 1, Integer::sum)));
            return totals;
        }

        /** The windows of one run, every planned one; empty until its run.json exists. */
        public Map<String, WindowState> run(String runId) {
            return runs.getOrDefault(runId, Map.of());
        }
    }

    LedgerView(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = new RunLedger(store);
    }

    public synchronized Snapshot refresh() {
        NavigableMap<String, Map<String, WindowState>> runs = new TreeMap<>();
        for (ObjectSummary object : store.list(RunLedger.PREFIX)) {
            if (object.key().endsWith("/run.json")) {
                String runId = object.key().substring(RunLedger.PREFIX.length(),
                        object.key().length() - "/run.json".length());
                RunProgress.read(ledger, runId).ifPresent(progress -> runs.put(runId, progress.states()));
            }
        }
        return new Snapshot(runs);
    }
}
