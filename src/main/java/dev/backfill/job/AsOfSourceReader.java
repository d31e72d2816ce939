package dev.backfill.job;

import dev.backfill.BackfillException;
import dev.backfill.store.ObjectNotFoundException;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import dev.backfill.store.ObjectStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads upstream objects as they were at an instant T, through bucket versioning: {@link #list} lists the versions
 * under the prefix (ListObjectVersions) and keeps, per key, the newest version written at or before T — a key whose
 * newest such entry is a delete marker, or that had no version yet, did not exist at T; {@link #open} reads exactly
 * that version. The manifest then records those version ids, as for a run at T.
 *
 * <p>S3 lists {@code LastModified} to the second, so a version listed in the very second of T may have been written
 * just before or just after it. Which input the job would have read is then unknown: the window fails (permanently)
 * naming the key, rather than guess. An instant outside that second decides. Versions deleted by the bucket's
 * lifecycle rule cannot be read: {@code backfill} refuses an instant older than the noncurrent-version retention.
 *
 * <p>Spends one permit of the rate budget per listing request (1,000 versions) and per open. Sizes of listed objects
 * are not known ({@code -1}): ListObjectVersions' answer is not kept beyond the versions.
 */
public final class AsOfSourceReader implements SourceReader {

    /** ListObjectVersions returns at most 1,000 versions and delete markers per request (S3 API Reference). */
    private static final int PAGE = 1_000;

    private final ObjectStore store;
    private final RateBudget budget;
    private final Instant asOf;
    private final Map<String, String> chosen = new ConcurrentHashMap<>();
    private final List<InputRef> inputs = Collections.synchronizedList(new ArrayList<>());

    public AsOfSourceReader(ObjectStore store, RateBudget budget, Instant asOf) {
        this.store = Objects.requireNonNull(store, "store");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.asOf = Objects.requireNonNull(asOf, "asOf");
    }

    /**
     * The objects under {@code prefix} that existed at T, in key order.
     *
     * @throws BackfillException if a key has a version listed in the second of T
     */
    @Override
    public List<SourceObject> list(String prefix) {
        budget.acquire();
        List<ObjectVersionSummary> versions = store.listVersions(prefix);
        for (int page = PAGE; page < versions.size(); page += PAGE) {
            budget.acquire();
        }
        List<SourceObject> listed = new ArrayList<>();
        String decided = null;
        // Newest first within a key: the first entry written at or before T is the one that was current at T.
        for (ObjectVersionSummary version : versions) {
            if (version.key().equals(decided) || version.lastModified().isAfter(asOf)) {
                continue;
            }
            decided = version.key();
            if (toTheSecond(version.lastModified()) && version.lastModified().plusSeconds(1).isAfter(asOf)) {
                throw new BackfillException("Input " + decided + " has a version listed at " + version.lastModified()
                        + ", the second of inputsAsOf " + asOf + ": S3 times versions to the second, so whether "
                        + "it was current at that instant is unknown; choose an instant outside that second");
            }
            if (!version.deleteMarker()) {
                chosen.put(decided, version.versionId());
                listed.add(new SourceObject(decided, -1));
            }
        }
        return List.copyOf(listed);
    }

    private static boolean toTheSecond(Instant listed) {
        return listed.getNano() == 0;
    }

    /**
     * Opens the version of {@code object} current at T, and records it as an input.
     *
     * @throws ObjectNotFoundException if the object did not exist at T, or that version is gone
     */
    @Override
    public InputStream open(SourceObject object) {
        String versionId = chosen.get(object.key());
        if (versionId == null) {
            list(object.key());
            versionId = chosen.get(object.key());
            if (versionId == null) {
                throw new ObjectNotFoundException(object.key(), null);
            }
        }
        budget.acquire();
        ObjectStream stream = store.openVersion(object.key(), versionId);
        inputs.add(new InputRef(stream.key(), stream.versionId()));
        return stream;
    }

    @Override
    public List<InputRef> inputsRead() {
        synchronized (inputs) {
            return List.copyOf(inputs);
        }
    }
}
