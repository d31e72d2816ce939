package dev.backfill.dispatch;

import dev.backfill.job.InputSpec;
import dev.backfill.job.RateBudget;
import dev.backfill.job.WindowJob;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.Page;
import dev.backfill.window.Window;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Checks, before anything runs, that the upstream still serves each window's inputs: lists the inputs the job
 * declares (one budgeted request per listing page) and counts objects and bytes. Reads only.
 */
public final class UpstreamProbe {

    private final ObjectStore store;
    private final Supplier<RateBudget> budget;
    private final Executor executor;

    public UpstreamProbe(ObjectStore store, Supplier<RateBudget> budget, Executor executor) {
        this.store = Objects.requireNonNull(store, "store");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * What the upstream holds for one window.
     *
     * @param declared false when the job declares no inputs: nothing could be checked
     * @param pages    listing requests it took
     */
    public record Found(String label, boolean declared, int objects, long bytes, int pages) {
        public boolean missing() {
            return declared && objects == 0;
        }
    }

    /** Probes every window, several at once; the answer is in the windows' order. */
    public List<Found> probe(WindowJob job, List<Window> windows) {
        RateBudget shared = budget.get();
        List<CompletableFuture<Found>> futures = windows.stream()
                .map(window -> CompletableFuture.supplyAsync(() -> probe(job.inputs(window), window, shared), executor))
                .toList();
        return futures.stream().map(Parallel::join).toList();
    }

    private Found probe(InputSpec spec, Window window, RateBudget budget) {
        if (!spec.declared()) {
            return new Found(window.label(), false, 0, 0, 0);
        }
        int objects = 0;
        long bytes = 0;
        int pages = 0;
        for (String prefix : spec.prefixes()) {
            Page page = null;
            do {
                budget.acquire();
                page = store.listPage(prefix, page == null ? null : page.last());
                pages++;
                for (var summary : page.objects()) {
                    if (spec.matches(summary.key())) {
                        objects++;
                        bytes += summary.size();
                    }
                }
            } while (page.truncated());
        }
        return new Found(window.label(), true, objects, bytes, pages);
    }
}
