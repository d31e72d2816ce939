package dev.backfill.chaos;

import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import dev.backfill.testing.Bounded;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowOutcome;
import dev.backfill.worker.WindowWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * R3: many runs of one partition at once (on the in-memory store: the point is the protocol's logic), each with its
 * own fence (a seeded shuffle) and seeded random delays before each S3 request, on 8 threads. The highest fence
 * must own the partition, the manifest's history must only ever move to higher fences (no older run overwrote a
 * newer one: no lost update), and the prefix must hold exactly the manifest's parts.
 */
final class RacingWriters {

    static final String NAME = "R3 racing writers";
    private static final int THREADS = 8;

    private RacingWriters() {
    }

    static ChaosFigure run(LocalDate day, int attempts, int maxDelayMillis, long seed) throws Exception {
        // In memory, not on S3Proxy: S3Proxy 4.1.0 checks a PUT's If-Match and writes in two steps, so writers
        // racing on one key can all win against the same ETag (seen here: a 40-writer race left a manifest history
        // whose fences went backwards). S3 lets only the first to finish succeed (S3 User Guide, "How to prevent
        // object overwrites with conditional writes"), as this store does.
        ObjectStore plain = new InMemoryObjectStore(Clock.systemUTC());
        DemoEventGenerator.standard().writeDays(plain, day, day.plusDays(1));
        Random random = new Random(seed);
        List<Long> fences = new ArrayList<>();
        for (int i = 1; i <= attempts; i++) {
            fences.add(1_000L * i + random.nextInt(1_000));
        }
        Collections.shuffle(fences, random);
        Map<WindowOutcome.Result, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger retries = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                long fence = fences.get(i);
                long delaySeed = random.nextLong();
                runs.add(pool.submit(() -> {
                    WindowOutcome.Result result = runToEnd(new Delaying(plain, delaySeed, maxDelayMillis), day,
                            fence, retries);
                    outcomes.computeIfAbsent(result, r -> new AtomicInteger()).incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                Bounded.get(run, Duration.ofMinutes(2), "a racing writer's run to its end");
            }
        } finally {
            pool.shutdownNow();
        }
        PartitionPath path = PartitionPath.of(DailyEventCounts.NAME, Window.day(day, ZoneOffset.UTC));
        Manifest manifest = PartitionAudit.manifest(plain, path).orElseThrow();
        long highest = Collections.max(fences);
        List<Long> history = history(plain, path);
        int backwards = 0;
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i) <= history.get(i - 1)) {
                backwards++;
            }
        }
        int orphans = PartitionAudit.orphans(plain, path, manifest);
        long lost = manifest.fence() == highest ? 0 : 1;
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("attempts", attempts);
        values.put("outcomes", outcomes);
        values.put("retriedAfterConflicts", retries.get());
        values.put("highestFence", highest);
        values.put("winnerFence", manifest.fence());
        values.put("manifestVersions", history.size());
        values.put("backwardSteps", backwards);
        return new ChaosFigure(NAME, String.format("%d runs of one partition, %d threads, 0–%d ms before each "
                + "request", attempts, THREADS, maxDelayMillis),
                String.format("highest fence won: %s; %d commits, each to a higher fence (%d backwards); %d "
                        + "superseded; %d retried", manifest.fence() == highest ? "yes" : "NO", history.size(),
                        backwards, count(outcomes, WindowOutcome.Result.SUPERSEDED), retries.get()),
                lost + backwards, 0, 0, orphans, true, values);
    }

    private static int count(Map<WindowOutcome.Result, AtomicInteger> outcomes, WindowOutcome.Result result) {
        return Optional.ofNullable(outcomes.get(result)).map(AtomicInteger::get).orElse(0);
    }

    /** Delivers the run's message until it is done, as SQS would after a retryable failure. */
    private static WindowOutcome.Result runToEnd(ObjectStore store, LocalDate day, long fence, AtomicInteger retries) {
        WindowWorker worker = new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
                new RunLedger(store), RateBudget::unlimited, Clock.systemUTC(), () -> "r" + fence,
                ChaosRig.CODE_VERSION);
        WindowMessage message = WindowMessage.of("race-" + fence, DailyEventCounts.NAME,
                Window.day(day, ZoneOffset.UTC), fence);
        for (int attempt = 1; ; attempt++) {
            try {
                return worker.process(message, attempt).result();
            } catch (RetryableException e) {
                retries.incrementAndGet();
            }
        }
    }

    /** The fences of the manifest's versions, oldest first. */
    private static List<Long> history(ObjectStore store, PartitionPath path) {
        List<Long> fences = new ArrayList<>();
        for (ObjectVersionSummary version : store.listVersions(path.manifestKey())) {
            if (version.key().equals(path.manifestKey()) && !version.deleteMarker()) {
                Manifest m = Json.read(store.getVersion(version.key(), version.versionId()).orElseThrow().content(),
                        Manifest.class);
                fences.add(m.fence());
            }
        }
        Collections.reverse(fences);
        return fences;
    }

    /** Waits a seeded random time before each request: the scheduling of a busy fleet, made reproducible in kind. */
    private static final class Delaying extends ForwardingObjectStore {
        private final Random random;
        private final int maxDelayMillis;

        Delaying(ObjectStore delegate, long seed, int maxDelayMillis) {
            super(delegate);
            this.random = new Random(seed);
            this.maxDelayMillis = maxDelayMillis;
        }

        /** The injected fault: a seeded random delay before each request, to vary the race; never synchronisation. */
        private void pause() {
            try {
                Thread.sleep(random.nextInt(maxDelayMillis + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Optional<StoredObject> get(String key) {
            pause();
            return super.get(key);
        }

        @Override
        public ObjectVersion put(String key, java.nio.file.Path file) {
            pause();
            return super.put(key, file);
        }

        @Override
        public ObjectVersion copy(String source, String target) {
            pause();
            return super.copy(source, target);
        }

        @Override
        public ObjectVersion putIfAbsent(String key, byte[] content) {
            pause();
            return super.putIfAbsent(key, content);
        }

        @Override
        public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
            pause();
            return super.putIfMatch(key, content, etag);
        }

        @Override
        public List<ObjectSummary> list(String prefix) {
            pause();
            return super.list(prefix);
        }

        @Override
        public int deleteAll(Collection<String> keys) {
            pause();
            return super.deleteAll(keys);
        }
    }
}
