package dev.backfill.ledger;

import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs by creation time, newest first, without reading them: one empty marker per run and per job whose key starts
 * with the inverted creation time, so a listing (in key order) gives the newest runs first.
 * <pre>
 * _backfill/index/all/&lt;inverted millis&gt;-&lt;runId&gt;
 * _backfill/index/jobs/&lt;job&gt;/&lt;inverted millis&gt;-&lt;runId&gt;
 * </pre>
 */
public final class RunIndex {

    static final String PREFIX = "_backfill/index/";
    private static final long LAST_MILLIS = 9_999_999_999_999L;

    private final ObjectStore store;

    public RunIndex(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Adds a run to the index; adding it again changes nothing. */
    public void add(RunRecord run) {
        String name = String.format("%013d-%s", LAST_MILLIS - run.createdAt().toEpochMilli(), run.runId());
        store.put(PREFIX + "all/" + name, new byte[0]);
        store.put(jobPrefix(run.job()) + name, new byte[0]);
    }

    /** The ids of the newest {@code limit} runs, of one job or of all, newest first. */
    public List<String> latest(Optional<String> job, int limit) {
        String prefix = job.map(RunIndex::jobPrefix).orElse(PREFIX + "all/");
        List<String> runIds = new ArrayList<>();
        Page page = null;
        do {
            page = store.listPage(prefix, page == null ? null : page.last());
            for (var summary : page.objects()) {
                String name = summary.key().substring(prefix.length());
                if (name.length() > 14 && name.charAt(13) == '-' && runIds.size() < limit) {
                    runIds.add(name.substring(14));
                }
            }
        } while (page.truncated() && runIds.size() < limit);
        return runIds;
    }

    private static String jobPrefix(String job) {
        return PREFIX + "jobs/" + job + "/";
    }
}
