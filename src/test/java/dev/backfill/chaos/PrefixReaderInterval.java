package dev.backfill.chaos;

import dev.backfill.Json;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import dev.backfill.testing.Bounded;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long a prefix reader (Athena, Glue, Spark, DuckDB: they list {@code tables/<t>/dt=D/} and skip names starting
 * with {@code _}) can see anything but exactly one committed version while a partition is replaced: from the start of
 * the CopyObject that makes the new part visible to the end of the DeleteObjects that removes the old one, measured
 * around the store's requests on S3Proxy over HTTP. A concurrent lister checks the same from the reader's side: how
 * many of its listings held the parts of two versions at once.
 */
final class PrefixReaderInterval {

    static final String NAME = "Prefix-reader interval";

    private PrefixReaderInterval() {
    }

    static ChaosFigure run(LocalDate day, int commits, long seed) throws InterruptedException {
        ObjectStore plain = new S3ObjectStore(LocalServers.get().s3(), LocalServers.get().newBucket("prefix"));
        DemoEventGenerator.standard().writeDays(plain, day, day.plusDays(1));
        PartitionPath path = PartitionPath.of(DailyEventCounts.NAME, Window.day(day, ZoneOffset.UTC));
        Timing timing = new Timing(plain);
        worker(plain, "first").process(message(day, 1_000), 1);

        List<Set<String>> listings = new CopyOnWriteArrayList<>();
        AtomicBoolean listing = new AtomicBoolean(true);
        Thread lister = new Thread(() -> {
            while (listing.get()) {
                listings.add(visible(plain, path));
            }
        }, "chaos-prefix-reader");
        lister.start();
        try {
            for (int i = 1; i <= commits; i++) {
                timing.begin();
                worker(timing, "n" + i).process(message(day, 1_000 + i), 1);
                timing.end();
            }
        } finally {
            listing.set(false);
            Bounded.join(lister, Duration.ofSeconds(30), "the prefix lister, told to stop");
        }
        Set<Set<String>> versions = committedPartSets(plain, path);
        long mixed = listings.stream().filter(seen -> !versions.contains(seen)).count();
        List<Double> millis = timing.intervals.stream().map(n -> n / 1e6).sorted().toList();
        double median = millis.get(millis.size() / 2);
        double max = millis.get(millis.size() - 1);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("commits", commits);
        values.put("intervalMillis", millis);
        values.put("medianMillis", median);
        values.put("maxMillis", max);
        values.put("listings", listings.size());
        values.put("listingsWithTwoVersions", mixed);
        return new ChaosFigure(NAME, String.format("%d replacements of one partition, a prefix lister running "
                        + "throughout", commits),
                String.format("copy → cleanup: median %.0f ms, max %.0f ms (S3Proxy, 4 requests); %d of %,d listings "
                        + "saw two versions (by design, documented)", median, max, mixed, listings.size()),
                0, 0, 0, PartitionAudit.orphans(plain, path, PartitionAudit.manifest(plain, path).orElseThrow()),
                millis.size() == commits, values);
    }

    /** What a Hive-style reader sees: the keys under the prefix not starting with '_'. */
    private static Set<String> visible(ObjectStore store, PartitionPath path) {
        Set<String> keys = new HashSet<>();
        for (ObjectSummary object : store.list(path.prefix())) {
            String name = object.key().substring(path.prefix().length());
            if (!name.startsWith("_")) {
                keys.add(object.key());
            }
        }
        return keys;
    }

    /** The part keys of every manifest version: the sets a prefix reader may see alone. */
    private static Set<Set<String>> committedPartSets(ObjectStore store, PartitionPath path) {
        Set<Set<String>> sets = new HashSet<>();
        for (ObjectVersionSummary version : store.listVersions(path.manifestKey())) {
            if (!version.deleteMarker()) {
                Manifest manifest = Json.read(store.getVersion(version.key(), version.versionId()).orElseThrow()
                        .content(), Manifest.class);
                Set<String> parts = new HashSet<>();
                manifest.parts().forEach(part -> parts.add(part.key()));
                sets.add(parts);
            }
        }
        return sets;
    }

    private static WindowWorker worker(ObjectStore store, String nonce) {
        return new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store, new RunLedger(store),
                RateBudget::unlimited, Clock.systemUTC(), () -> nonce, ChaosRig.CODE_VERSION);
    }

    private static WindowMessage message(LocalDate day, long fence) {
        return WindowMessage.of("prefix-" + fence, DailyEventCounts.NAME, Window.day(day, ZoneOffset.UTC), fence);
    }

    /** Notes when the first copy of a commit starts and when its cleanup's delete ends. */
    private static final class Timing extends ForwardingObjectStore {
        final List<Long> intervals = new ArrayList<>();
        private long copyStarted = -1;
        private long deleted = -1;

        Timing(ObjectStore delegate) {
            super(delegate);
        }

        void begin() {
            copyStarted = -1;
            deleted = -1;
        }

        void end() {
            if (copyStarted > 0 && deleted > 0) {
                intervals.add(deleted - copyStarted);
            }
        }

        @Override
        public ObjectVersion copy(String source, String target) {
            if (copyStarted < 0) {
                copyStarted = System.nanoTime();
            }
            return super.copy(source, target);
        }

        @Override
        public int deleteAll(Collection<String> keys) {
            int deletedKeys = super.deleteAll(keys);
            deleted = System.nanoTime();
            return deletedKeys;
        }
    }
}
