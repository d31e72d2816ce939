package dev.backfill.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backfill.Json;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import dev.backfill.testing.Gzip;
import dev.backfill.testing.LocalServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/** Time travel through bucket versioning, against S3Proxy (in-memory backend, versioning on). */
class TableReaderTest {

    private static final String TABLE = "daily_event_counts";
    private static final PartitionPath APR_09 = new PartitionPath(TABLE, "2026-04-09");
    private static final PartitionPath APR_10 = new PartitionPath(TABLE, "2026-04-10");
    private static final List<String> BOTH_DAYS = List.of("2026-04-09", "2026-04-10");
    private static final String BUGGY = "{\"dt\":\"2026-04-09\",\"type\":\"purchase\",\"events\":442}";
    private static final String FIXED = "{\"dt\":\"2026-04-09\",\"type\":\"purchase\",\"events\":329}";

    private final LocalServers servers = LocalServers.get();
    private String bucket;
    private S3ObjectStore store;
    private TableReader reader;

    @BeforeEach
    void setUp() {
        bucket = servers.newBucket("as-of");
        store = new S3ObjectStore(servers.s3(), bucket);
        reader = new TableReader(store);
    }

    @Test
    void read_betweenTwoCommits_givesTheFirstSnapshot_evenThoughItsPartWasOverwritten() {
        Instant beforeAll = instantBetweenWrites();
        commit(APR_09, "run-1", BUGGY);
        Instant between = instantBetweenWrites();
        commit(APR_09, "run-2", FIXED);

        TableReader.PartitionSnapshot then = reader.partition(APR_09, between).orElseThrow();
        assertThat(then.manifest().runId()).isEqualTo("run-1");
        assertThat(reader.lines(then)).containsExactly(BUGGY);
        assertThat(reader.lines(reader.partition(APR_09, Instant.now()).orElseThrow())).containsExactly(FIXED);
        assertThat(reader.read(TABLE, BOTH_DAYS, beforeAll)).isEmpty();
    }

    @Test
    void read_givesEachPartitionItsOwnSnapshot_andLeavesOutDeletedOnes() {
        commit(APR_09, "run-1", BUGGY);
        commit(APR_10, "run-1", FIXED.replace("04-09", "04-10"));
        Instant bothThere = instantBetweenWrites();
        store.deleteAll(List.of(APR_10.manifestKey()));

        assertThat(reader.read(TABLE, BOTH_DAYS, bothThere)).containsOnlyKeys("2026-04-09", "2026-04-10");
        assertThat(reader.read(TABLE, BOTH_DAYS, Instant.now())).containsOnlyKeys("2026-04-09");
    }

    @Test
    void read_listsTheVersionsOfEachDaysManifestKeyOnly_neverTheWholeTable() {
        commit(APR_09, "run-1", BUGGY);
        commit(APR_10, "run-1", FIXED);
        commit(new PartitionPath(TABLE, "2026-04-11"), "run-1", FIXED);
        List<String> prefixes = new ArrayList<>();
        TableReader watched = new TableReader(new ForwardingObjectStore(store) {
            @Override
            public List<ObjectVersionSummary> listVersions(String prefix) {
                prefixes.add(prefix);
                return super.listVersions(prefix);
            }
        });

        assertThat(watched.read(TABLE, BOTH_DAYS, Instant.now())).containsOnlyKeys(BOTH_DAYS);
        assertThat(prefixes).containsExactly(APR_09.manifestKey(), APR_10.manifestKey());
    }

    /**
     * Reruns, a delete and a commit after it, with instants taken right after each write, mostly in the same second
     * as the writes around them; each read as of such an instant must give the manifest version an independent
     * reconstruction gives: the version ids the writes answered, in the order S3's ListObjectVersions keeps them.
     */
    @Test
    void read_acrossRerunsAndADelete_matchesTheWritesAsListObjectVersionsRecordsThem() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(Instant.now(), null));
        steps.add(new Step(null, commit(APR_09, "run-1", BUGGY).versionId()));
        steps.add(new Step(null, commit(APR_09, "run-2", FIXED).versionId()));
        steps.add(new Step(null, commit(APR_09, "run-3", FIXED).versionId()));
        // A delete marker has no time finer than its second: it starts a second of its own.
        awaitNextSecond(Instant.now());
        String marker = servers.s3().deleteObject(r -> r.bucket(bucket).key(APR_09.manifestKey())).versionId();
        steps.add(new Step(null, null));
        steps.add(new Step(null, commit(APR_09, "run-4", BUGGY).versionId()));
        steps.add(new Step(null, commit(APR_09, "run-5", FIXED).versionId()));

        ListObjectVersionsResponse listed = servers.s3().listObjectVersions(r -> r.bucket(bucket)
                .prefix(APR_09.manifestKey()));
        List<String> written = Stream.concat(steps.stream().map(Step::versionId).filter(id -> id != null),
                Stream.of(marker)).sorted().toList();
        // Contains, not equals: the SDK retries a PUT whose response it lost (seen on a loaded machine), and the first
        // attempt's version stays listed just before the version the retry answered.
        assertThat(Stream.concat(listed.versions().stream().map(v -> v.versionId()),
                listed.deleteMarkers().stream().map(m -> m.versionId())).sorted().toList()).containsAll(written);
        for (Step step : steps) {
            Optional<String> read = reader.partition(APR_09, step.after()).map(p -> p.manifestVersionId());
            assertThat(read).as("as of %s", step.after()).isEqualTo(Optional.ofNullable(step.versionId()));
        }
    }

    /** A write, and the instant right after it returned (and before the next one started). */
    private record Step(Instant after, String versionId) {
        Step {
            after = after == null ? Instant.now() : after;
        }
    }

    /**
     * An instant after every write so far and before every later one. S3 keeps LastModified to the second, so this
     * waits for a new second, takes the instant, and waits for the next second before returning.
     */
    private static Instant instantBetweenWrites() {
        awaitNextSecond(Instant.now());
        Instant between = Instant.now();
        awaitNextSecond(between);
        return between;
    }

    private static void awaitNextSecond(Instant from) {
        await("the wall clock past the second of " + from).atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > from.getEpochSecond());
    }

    /** Writes the part at one fixed key, overwriting earlier versions, and a manifest naming its new version. */
    private ObjectVersion commit(PartitionPath partition, String runId, String line) {
        ObjectVersion part = store.put(partition.prefix() + "part-00000.jsonl.gz", Gzip.compress(line + "\n"));
        Manifest manifest = new Manifest(Manifest.VERSION, TABLE, TABLE,
                new Manifest.WindowRef(partition.label(), Instant.parse(partition.label() + "T00:00:00Z"),
                        Instant.parse(partition.label() + "T00:00:00Z").plus(Duration.ofDays(1))),
                runId, 1, "f1-a1-" + runId, "test", 1,
                List.of(new Manifest.Part(part.key(), part.versionId(), part.etag(), part.size(), 1)), List.of(),
                Instant.now(), Instant.now());
        return store.put(partition.manifestKey(), Json.write(manifest));
    }
}
