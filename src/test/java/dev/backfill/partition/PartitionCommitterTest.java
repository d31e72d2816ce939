package dev.backfill.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.job.InputRef;
import dev.backfill.job.JobResult;
import dev.backfill.job.PartitionSink.PartWriter;
import dev.backfill.partition.CommitOutcome.Committed;
import dev.backfill.partition.Manifest.WindowRef;
import dev.backfill.partition.PartitionCommitter.CommitRequest;
import dev.backfill.partition.PartitionCommitter.PartitionWriter;
import dev.backfill.partition.PartitionCommitter.Staged;
import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import dev.backfill.store.PreconditionFailedException;
import dev.backfill.testing.Gzip;
import dev.backfill.testing.MutableClock;
import dev.backfill.window.Window;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The commit protocol of {@link PartitionCommitter}, step by step, against the in-memory store. */
class PartitionCommitterTest {

    private static final Window APR_09 = Window.day(LocalDate.of(2026, 4, 9), ZoneOffset.UTC);
    private static final PartitionPath APR_09_PARTITION = PartitionPath.of("daily_event_counts", APR_09);
    private static final String MANIFEST_KEY = APR_09_PARTITION.manifestKey();
    private static final Instant STARTED_AT = Instant.parse("2026-11-25T10:00:00Z");
    private static final Instant COMMITTED_AT = Instant.parse("2026-11-25T10:00:42Z");
    private static final CommitToken OLD = new CommitToken(1_000, 1, "aaaa");
    private static final CommitToken NEW = new CommitToken(2_000, 1, "bbbb");
    private static final CommitToken NEW_RETRY = new CommitToken(2_000, 2, "cccc");
    private static final List<InputRef> INPUTS = List.of(
            new InputRef("raw/events/dt=2026-04-09/events-0000.jsonl.gz", "v-in-1"),
            new InputRef("raw/events/dt=2026-04-09/events-0001.jsonl.gz", "v-in-2"));

    private final MutableClock clock = new MutableClock(COMMITTED_AT);
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private final ConditionalWrites watched = new ConditionalWrites(store);
    private final PartitionCommitter committer = new PartitionCommitter(watched, clock);

    @Test
    void commit_firstTime_writesManifestIfAbsentAndLeavesExactlyManifestAndParts() throws IOException {
        Committed committed = commit(request("run-a", OLD), writesParts(2, 1));

        assertThat(watched.calls).containsExactly("putIfAbsent " + MANIFEST_KEY);
        assertThat(keysUnderPartition()).containsExactly(
                MANIFEST_KEY, APR_09_PARTITION.partKey(0, OLD), APR_09_PARTITION.partKey(1, OLD));
        // Only its own two staged uploads, once copied to their visible names.
        assertThat(committed.deleted()).isEqualTo(2);
        assertThat(committed.result()).isEqualTo(new JobResult(10, 3));
        assertThat(committed.manifestVersionId())
                .isEqualTo(store.get(MANIFEST_KEY).orElseThrow().version().versionId());
        assertThat(storedManifest()).isEqualTo(committed.manifest());
        assertThat(committer.current(APR_09_PARTITION)).contains(committed.manifest());
    }

    @Test
    void commit_partition_writesTheLinesOfEachPartGzipped() throws IOException {
        Committed committed = commit(request("run-a", OLD), writesParts(2, 1));

        assertThat(committed.manifest().parts()).extracting(part -> Gzip.lines(contentOf(part))).containsExactly(
                List.of("{\"part\":0,\"row\":0}", "{\"part\":0,\"row\":1}"),
                List.of("{\"part\":1,\"row\":0}"));
    }

    @Test
    void commit_again_replacesManifestIfMatchAndDeletesOldParts() throws IOException {
        Manifest first = commit(request("run-a", OLD), writesParts(2, 1)).manifest();
        String firstETag = store.get(MANIFEST_KEY).orElseThrow().version().etag();

        Committed second = commit(request("run-b", NEW), writesParts(4));

        assertThat(watched.calls).containsExactly("putIfAbsent " + MANIFEST_KEY, "putIfMatch " + MANIFEST_KEY + " "
                + firstETag);
        assertThat(second.deleted()).isEqualTo(2 + 1);
        assertThat(keysUnderPartition()).containsExactly(MANIFEST_KEY, APR_09_PARTITION.partKey(0, NEW));
        assertThat(storedManifest().runId()).isEqualTo("run-b");
        // Versioning keeps the replaced snapshot readable for time travel.
        assertThat(first.parts()).allSatisfy(part -> assertThat(Gzip.lines(contentOf(part))).isNotEmpty());
    }

    @Test
    void commit_olderTokenThanCurrent_isSupersededWithoutRunningTheWriter() throws IOException {
        commit(request("run-new", NEW), writesParts(1));
        List<ObjectVersionSummary> before = store.listVersions("");
        AtomicInteger writerCalls = new AtomicInteger();

        CommitOutcome outcome = committer.replace(APR_09_PARTITION, request("run-old", OLD), sink -> {
            writerCalls.incrementAndGet();
            return writesParts(1).write(sink);
        });

        assertThat(outcome).isEqualTo(new CommitOutcome.Superseded("run-new", NEW, 1,
                store.get(APR_09_PARTITION.manifestKey()).orElseThrow().version().versionId()));
        assertThat(writerCalls).hasValue(0);
        assertThat(store.listVersions("")).isEqualTo(before);
    }

    @Test
    void commit_afterWriterFails_leavesOldPartitionReadable() throws IOException {
        Manifest old = commit(request("run-old", OLD), writesParts(2)).manifest();

        assertThatThrownBy(() -> committer.replace(APR_09_PARTITION, request("run-new", NEW), failsAfterOnePart()))
                .isInstanceOf(IOException.class)
                .hasMessage("disk full");

        assertThat(storedManifest()).isEqualTo(old);
        assertThat(old.parts()).allSatisfy(part -> assertThat(
                store.get(part.key()).orElseThrow().version().versionId()).isEqualTo(part.versionId()));
        assertThat(watched.calls).containsExactly("putIfAbsent " + MANIFEST_KEY);
    }

    @Test
    void commit_afterWriterFailed_nextAttemptRemovesTheOrphanedPart() throws IOException {
        commit(request("run-old", OLD), writesParts(2, 1));
        assertThatThrownBy(() -> committer.replace(APR_09_PARTITION, request("run-new", NEW), failsAfterOnePart()))
                .isInstanceOf(IOException.class);

        Committed retried = commit(request("run-new", NEW_RETRY), writesParts(1));

        // The two parts of the old run and the one the failed attempt left behind.
        assertThat(retried.deleted()).isEqualTo(3);
        assertThat(keysUnderPartition()).containsExactly(MANIFEST_KEY, APR_09_PARTITION.partKey(0, NEW_RETRY));
    }

    @Test
    void commit_manifestRecordsInputsRowsWindowRunAttemptCodeAndTimes() throws IOException {
        Manifest manifest = commit(request("run-a", NEW), writesParts(2, 1)).manifest();

        assertThat(manifest.v()).isEqualTo(Manifest.VERSION);
        assertThat(manifest.table()).isEqualTo("daily_event_counts");
        assertThat(manifest.job()).isEqualTo("daily_event_counts");
        assertThat(manifest.window()).isEqualTo(new WindowRef("2026-04-09",
                Instant.parse("2026-04-09T00:00:00Z"), Instant.parse("2026-04-10T00:00:00Z")));
        assertThat(manifest.runId()).isEqualTo("run-a");
        assertThat(manifest.fence()).isEqualTo(2_000);
        assertThat(manifest.attempt()).isEqualTo("f2000-a1-bbbb");
        assertThat(manifest.token()).isEqualTo(NEW);
        assertThat(manifest.codeVersion()).isEqualTo("1.4.2");
        assertThat(manifest.rows()).isEqualTo(3);
        assertThat(manifest.inputs()).isEqualTo(INPUTS);
        assertThat(manifest.startedAt()).isEqualTo(STARTED_AT);
        assertThat(manifest.committedAt()).isEqualTo(COMMITTED_AT);
        assertThat(manifest.parts()).extracting(Manifest.Part::rows).containsExactly(2L, 1L);
        assertThat(manifest.parts()).allSatisfy(part -> {
            ObjectVersion stored = store.get(part.key()).orElseThrow().version();
            assertThat(new Manifest.Part(stored.key(), stored.versionId(), stored.etag(), stored.size(), part.rows()))
                    .isEqualTo(part);
        });
    }

    @Test
    void commit_cleanup_deletesForeignAndOlderObjects_butNotPartsOfANewerAttemptInFlight() throws IOException {
        String legacy = APR_09_PARTITION.prefix() + "legacy.json";
        String unnamed = APR_09_PARTITION.prefix() + "part-00000.jsonl.gz";
        String older = APR_09_PARTITION.partKey(0, OLD);
        String inFlight = APR_09_PARTITION.partKey(0, new CommitToken(3_000, 1, "dddd"));
        for (String key : List.of(legacy, unnamed, older, inFlight)) {
            store.put(key, new byte[] {1});
        }

        Committed committed = commit(request("run-a", NEW), writesParts(1));

        assertThat(committed.deleted()).isEqualTo(3 + 1);
        assertThat(keysUnderPartition()).containsExactly(MANIFEST_KEY, APR_09_PARTITION.partKey(0, NEW), inFlight);
    }

    @Test
    void commit_cleanup_deletesANewerAttemptsObjectsOlderThanTheLongestLambdaTimeout() throws IOException {
        CommitToken dead = new CommitToken(3_000, 1, "dddd");
        store.put(APR_09_PARTITION.partKey(0, dead), new byte[] {1});
        store.put(APR_09_PARTITION.stagedPartKey(0, dead), new byte[] {1});
        clock.advance(PartitionCommitter.MAX_ATTEMPT_AGE.plusSeconds(1));

        Committed committed = commit(request("run-a", NEW), writesParts(1));

        assertThat(committed.deleted()).isEqualTo(2 + 1);
        assertThat(keysUnderPartition()).containsExactly(MANIFEST_KEY, APR_09_PARTITION.partKey(0, NEW));
    }

    @Test
    void commit_jobFailingHalfWay_uploadsNothing() {
        assertThatThrownBy(() -> committer.replace(APR_09_PARTITION, request("run-a", OLD), sink -> {
            try (var part = sink.openPart()) {
                part.writeLine("{\"row\":0}");
            }
            throw new IOException("upstream connection reset");
        })).isInstanceOf(IOException.class);

        assertThat(store.listVersions("")).isEmpty();
    }

    @Test
    void commit_whileTheJobRuns_prefixReadersSeeNoNewObject_andStagedNamesAreHiddenFromThem() throws IOException {
        List<String> seenDuringJob = new ArrayList<>();

        commit(request("run-a", OLD), sink -> {
            Staged staged = writesParts(1).write(sink);
            seenDuringJob.addAll(keysUnderPartition());
            return staged;
        });

        assertThat(seenDuringJob).isEmpty();
        assertThat(APR_09_PARTITION.stagedPartKey(0, OLD).substring(APR_09_PARTITION.prefix().length()))
                .startsWith("_");
    }

    @Test
    void commit_cleanupFailingAfterTheManifest_stillCommits_andSaysTheCleanupIsPending() throws IOException {
        ObjectStore deletesFail = new ForwardingObjectStore(store) {
            @Override
            public int deleteAll(java.util.Collection<String> keys) {
                throw new RetryableException("DeleteObjects failed with 503 SlowDown");
            }
        };

        CommitOutcome outcome = new PartitionCommitter(deletesFail, clock)
                .replace(APR_09_PARTITION, request("run-a", OLD), writesParts(1));

        assertThat(outcome).isInstanceOf(Committed.class);
        assertThat(((Committed) outcome).cleanup())
                .isEqualTo(Cleanup.failed("RetryableException: DeleteObjects failed with 503 SlowDown"));
        assertThat(storedManifest().runId()).isEqualTo("run-a");
        assertThat(keysUnderPartition()).as("this attempt's staged upload is left")
                .anyMatch(key -> key.contains("_staging-"));

        CommitOutcome redelivery = new PartitionCommitter(store, clock)
                .replace(APR_09_PARTITION, request("run-a", new CommitToken(1_000, 2, "cccc")), writesParts(1));

        assertThat(redelivery).isInstanceOf(CommitOutcome.Superseded.class);
        assertThat(((CommitOutcome.Superseded) redelivery).cleanup()).isEqualTo(Cleanup.done(1));
        assertThat(keysUnderPartition()).noneMatch(key -> key.contains("_staging-"));
    }

    @Test
    void commit_manifestChangingOnEveryTry_givesUpRetryablyAfterFiveConflicts() throws IOException {
        commit(request("run-a", OLD), writesParts(1));
        AtomicInteger tries = new AtomicInteger();
        ObjectStore alwaysConflicts = new ForwardingObjectStore(store) {
            @Override
            public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
                tries.incrementAndGet();
                throw new PreconditionFailedException(key);
            }
        };

        assertThatThrownBy(() -> new PartitionCommitter(alwaysConflicts, clock)
                .replace(APR_09_PARTITION, request("run-b", NEW), writesParts(1)))
                .isExactlyInstanceOf(RetryableException.class)
                .hasMessage("Cannot commit tables/daily_event_counts/dt=2026-04-09/: the manifest changed 5 times "
                        + "during the commit")
                .hasCauseInstanceOf(PreconditionFailedException.class);
        assertThat(tries).hasValue(5);
        assertThat(storedManifest().runId()).isEqualTo("run-a");
    }

    private Committed commit(CommitRequest request, PartitionWriter writer) throws IOException {
        CommitOutcome outcome = committer.replace(APR_09_PARTITION, request, writer);
        assertThat(outcome).isInstanceOf(Committed.class);
        return (Committed) outcome;
    }

    private static CommitRequest request(String runId, CommitToken token) {
        return new CommitRequest(runId, "daily_event_counts", APR_09, token, "1.4.2", STARTED_AT);
    }

    /** Stages one part per argument with that many rows, and reports 10 rows read from {@link #INPUTS}. */
    private static PartitionWriter writesParts(int... rowsPerPart) {
        return sink -> {
            long written = 0;
            for (int part = 0; part < rowsPerPart.length; part++) {
                try (PartWriter writer = sink.openPart()) {
                    for (int row = 0; row < rowsPerPart[part]; row++) {
                        writer.writeLine("{\"part\":" + part + ",\"row\":" + row + "}");
                    }
                    written += writer.rows();
                }
            }
            return new Staged(new JobResult(10, written), INPUTS);
        };
    }

    private static PartitionWriter failsAfterOnePart() {
        return sink -> {
            try (PartWriter writer = sink.openPart()) {
                writer.writeLine("{\"partial\":true}");
            }
            throw new IOException("disk full");
        };
    }

    private Manifest storedManifest() {
        return Json.read(store.get(MANIFEST_KEY).orElseThrow().content(), Manifest.class);
    }

    private byte[] contentOf(Manifest.Part part) {
        return store.getVersion(part.key(), part.versionId()).orElseThrow().content();
    }

    private List<String> keysUnderPartition() {
        return store.list(APR_09_PARTITION.prefix()).stream().map(ObjectSummary::key).toList();
    }

    /** Records which conditional write the committer used for which key. */
    private static final class ConditionalWrites extends ForwardingObjectStore {

        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        ConditionalWrites(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public ObjectVersion putIfAbsent(String key, byte[] content) {
            calls.add("putIfAbsent " + key);
            return super.putIfAbsent(key, content);
        }

        @Override
        public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
            calls.add("putIfMatch " + key + " " + etag);
            return super.putIfMatch(key, content, etag);
        }
    }
}
