package dev.backfill.local;

import dev.backfill.Json;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where the runs in the ledger stand, read again on each {@link #refresh()}: one listing of
 * {@code _backfill/runs/}, and a GET only for the window files whose ETag changed since the last refresh.
 */
public final class LedgerView {

    private static final String WINDOWS = "/windows/";

    private final ObjectStore store;
    private final Map<String, Cached> windows = new HashMap<>();

    /** The state of every run, by run id; each run's windows by label. */
    public record Snapshot(NavigableMap<String, Map<String, WindowState>> runs) {

        /** Windows in each state over all runs. */
        public Map<WindowState, Integer> totals() {
            Map<WindowState, Integer> totals = new EnumMap<>(WindowState.class);
            runs.values().forEach(run -> run.values().forEach(state -> totals.merge(state, 1, Integer::sum)));
            return totals;
        }

        /** The windows of one run; empty until its run.json and window files exist. */
        public Map<String, WindowState> run(String runId) {
            return runs.getOrDefault(runId, Map.of());
        }
    }

    private record Cached(String etag, WindowState state) {
    }

    LedgerView(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public synchronized Snapshot refresh() {
        NavigableMap<String, Map<String, WindowState>> runs = new TreeMap<>();
        Map<String, Cached> seen = new HashMap<>();
        for (ObjectSummary object : store.list(RunLedger.PREFIX)) {
            String rest = object.key().substring(RunLedger.PREFIX.length());
            int windowsAt = rest.indexOf(WINDOWS);
            if (windowsAt < 0 || !rest.endsWith(".json")) {
                continue;
            }
            String runId = rest.substring(0, windowsAt);
            String label = rest.substring(windowsAt + WINDOWS.length(), rest.length() - ".json".length());
            Cached cached = windows.get(object.key());
            if (cached == null || !cached.etag().equals(object.etag())) {
                cached = read(object);
            }
            if (cached != null) {
                seen.put(object.key(), cached);
                runs.computeIfAbsent(runId, id -> new TreeMap<>()).put(label, cached.state());
            }
        }
        windows.keySet().retainAll(seen.keySet());
        windows.putAll(seen);
        return new Snapshot(runs);
    }

    private Cached read(ObjectSummary object) {
        // A window file may be replaced between the listing and this read; the next refresh sees the newer one.
        return store.get(object.key())
                .map(stored -> new Cached(object.etag(),
                        Json.read(stored.content(), WindowStatus.class).state()))
                .orElse(null);
    }
}
