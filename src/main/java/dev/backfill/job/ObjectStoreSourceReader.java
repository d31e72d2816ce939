package dev.backfill.job;

import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStream;
import dev.backfill.store.ThrottledException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reads upstream objects from an {@link ObjectStore}, one budgeted request per list page and per open; a request the
 * store refuses for its rate is reported to the budget ({@link RateBudget#throttled()}) before the failure goes on.
 */
public final class ObjectStoreSourceReader implements SourceReader {

    private final ObjectStore store;
    private final RateBudget budget;
    private final List<InputRef> inputs = Collections.synchronizedList(new ArrayList<>());

    public ObjectStoreSourceReader(ObjectStore store, RateBudget budget) {
        this.store = Objects.requireNonNull(store, "store");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /** Spends one permit per page: each page is one request to the upstream. */
    @Override
    public List<SourceObject> list(String prefix) {
        List<SourceObject> listed = new ArrayList<>();
        ObjectStore.Page page = null;
        do {
            budget.acquire();
            String after = page == null ? null : page.last();
            page = throttledTold(() -> store.listPage(prefix, after));
            page.objects().forEach(summary -> listed.add(new SourceObject(summary.key(), summary.size())));
        } while (page.truncated());
        return List.copyOf(listed);
    }

    @Override
    public InputStream open(SourceObject object) {
        budget.acquire();
        ObjectStream stream = throttledTold(() -> store.open(object.key()));
        inputs.add(new InputRef(stream.key(), stream.versionId()));
        return stream;
    }

    private <T> T throttledTold(Supplier<T> request) {
        try {
            return request.get();
        } catch (ThrottledException e) {
            budget.throttled();
            throw e;
        }
    }

    @Override
    public List<InputRef> inputsRead() {
        synchronized (inputs) {
            return List.copyOf(inputs);
        }
    }
}
