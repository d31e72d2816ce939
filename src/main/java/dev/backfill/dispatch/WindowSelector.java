package dev.backfill.dispatch;

import dev.backfill.Json;
import dev.backfill.job.InputRef;
import dev.backfill.job.InputSpec;
import dev.backfill.job.WindowJob;
import dev.backfill.ledger.RunIndex;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowEvent;
import dev.backfill.ledger.WindowState;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import dev.backfill.window.Window;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which windows a reprocess policy runs, from the bucket alone: the committed manifests, the inputs now, and
 * for {@code failed} the latest attempts the ledger recorded. Reads only; never writes.
 */
public final class WindowSelector {

    /** How many of the job's latest runs {@code failed} looks through for each window's latest attempt. */
    static final int FAILED_LOOKBACK_RUNS = 50;

    private final ObjectStore store;
    private final RunLedger ledger;
    private final RunIndex index;
    private final Executor executor;
    private final String codeVersion;

    public WindowSelector(ObjectStore store, RunLedger ledger, RunIndex index, Executor executor,
                          String codeVersion) {
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.index = Objects.requireNonNull(index, "index");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.codeVersion = Objects.requireNonNull(codeVersion, "codeVersion");
    }

    /** The windows of {@code windows} that {@code policy} runs, in the given order, and the others by reason. */
    public Selection select(WindowJob job, List<Window> windows, Reprocess policy) {
        return switch (policy) {
            case ALL -> new Selection(windows, Map.of());
            case MISSING -> missing(job, windows);
            case FAILED -> failed(job, windows);
            case STALE -> stale(job, windows);
        };
    }

    /** @param skipped windows left out, counted by reason */
    public record Selection(List<Window> toRun, Map<String, Integer> skipped) {
    }

    private Selection missing(WindowJob job, List<Window> windows) {
        Set<String> committed = committedLabels(job);
        return split(windows, window -> committed.contains(window.label()) ? Optional.of("committed")
                : Optional.empty());
    }

    private Selection stale(WindowJob job, List<Window> windows) {
        Set<String> committed = committedLabels(job);
        Map<String, String> reasons = parallel(windows, window -> committed.contains(window.label())
                ? staleness(job, window) : Optional.empty());
        return split(windows, window -> Optional.ofNullable(reasons.get(window.label())));
    }

    /** Why a committed window is up to date (a skip reason), or empty when it must run again. */
    private Optional<String> staleness(WindowJob job, Window window) {
        Optional<Manifest> manifest = manifest(job, window);
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        if (!codeVersion.equals(manifest.get().codeVersion())) {
            return Optional.empty();
        }
        InputSpec spec = job.inputs(window);
        if (!spec.declared()) {
            return Optional.of("up to date (same code; job declares no inputs)");
        }
        Set<InputRef> now = currentInputs(spec);
        return now.equals(new HashSet<>(manifest.get().inputs())) ? Optional.of("up to date")
                : Optional.empty();
    }

    /** The current version of every input object, as a set of (key, version id). */
    private Set<InputRef> currentInputs(InputSpec spec) {
        Set<InputRef> inputs = new HashSet<>();
        for (String prefix : spec.prefixes()) {
            Set<String> seen = new HashSet<>();
            for (ObjectVersionSummary version : store.listVersions(prefix)) {
                // Newest first within a key: the first entry of each key is its current state.
                if (seen.add(version.key()) && !version.deleteMarker() && spec.matches(version.key())) {
                    inputs.add(new InputRef(version.key(), version.versionId()));
                }
            }
        }
        return inputs;
    }

    private Selection failed(WindowJob job, List<Window> windows) {
        Set<String> wanted = windows.stream().map(Window::label).collect(Collectors.toSet());
        Map<String, WindowEvent> latest = latestAttempts(job, wanted);
        Map<String, String> reasons = parallel(windows, window -> {
            WindowEvent attempt = latest.get(window.label());
            if (attempt == null) {
                return Optional.of("no failed attempt");
            }
            if (attempt.state() != WindowState.FAILED && attempt.state() != WindowState.CANCELLED) {
                return Optional.of("latest attempt " + attempt.state().id());
            }
            Optional<Manifest> manifest = manifest(job, window);
            return manifest.isPresent() && manifest.get().committedAt().isAfter(attempt.at())
                    ? Optional.of("committed since") : Optional.empty();
        });
        return split(windows, window -> Optional.ofNullable(reasons.get(window.label())));
    }

    /** Each wanted window's latest recorded step over the job's recent runs. */
    private Map<String, WindowEvent> latestAttempts(WindowJob job, Set<String> wanted) {
        List<String> runIds = index.latest(Optional.of(job.name()), FAILED_LOOKBACK_RUNS);
        Map<String, List<WindowEvent>> perRun = parallelMap(runIds, ledger::events);
        Map<String, WindowEvent> latest = new HashMap<>();
        perRun.values().forEach(events -> events.stream()
                .filter(event -> wanted.contains(event.label()))
                .collect(Collectors.groupingBy(WindowEvent::label))
                .forEach((label, steps) -> WindowEvent.deciding(steps).ifPresent(step -> latest.merge(label, step,
                        (a, b) -> Comparator.comparing(WindowEvent::at).compare(a, b) >= 0 ? a : b))));
        return latest;
    }

    private Set<String> committedLabels(WindowJob job) {
        String prefix = PartitionPath.tablePrefix(job.table()) + "dt=";
        return store.list(prefix).stream()
                .map(summary -> summary.key())
                .filter(key -> key.endsWith("/" + PartitionPath.MANIFEST))
                .map(key -> PartitionPath.labelOf(
                        key.substring(prefix.length(), key.length() - PartitionPath.MANIFEST.length() - 1)))
                .collect(Collectors.toSet());
    }

    private Optional<Manifest> manifest(WindowJob job, Window window) {
        return store.get(PartitionPath.of(job.table(), window).manifestKey())
                .map(object -> Json.read(object.content(), Manifest.class));
    }

    private static Selection split(List<Window> windows, Function<Window, Optional<String>> skipReason) {
        List<Window> toRun = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (Window window : windows) {
            Optional<String> reason = skipReason.apply(window);
            if (reason.isPresent()) {
                skipped.merge(reason.get(), 1, Integer::sum);
            } else {
                toRun.add(window);
            }
        }
        return new Selection(toRun, skipped);
    }

    /** Applies {@code reason} to every window on the executor; the windows with a reason, by label. */
    private Map<String, String> parallel(List<Window> windows, Function<Window, Optional<String>> reason) {
        Map<String, Window> byLabel = windows.stream().collect(Collectors.toMap(Window::label, window -> window));
        Map<String, Optional<String>> all = parallelMap(byLabel.keySet(), label -> reason.apply(byLabel.get(label)));
        Map<String, String> reasons = new HashMap<>();
        all.forEach((label, value) -> value.ifPresent(text -> reasons.put(label, text)));
        return reasons;
    }

    private <T> Map<String, T> parallelMap(Collection<String> keys, Function<String, T> work) {
        Map<String, CompletableFuture<T>> futures = new TreeMap<>();
        keys.forEach(key -> futures.put(key, CompletableFuture.supplyAsync(() -> work.apply(key), executor)));
        Map<String, T> results = new HashMap<>();
        futures.forEach((key, future) -> results.put(key, Parallel.join(future)));
        return results;
    }
}
