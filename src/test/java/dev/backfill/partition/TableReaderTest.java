package dev.backfill.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backfill.Json;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.testing.Gzip;
import dev.backfill.testing.LocalServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Time travel through bucket versioning, against S3Proxy (in-memory backend, versioning on). */
class TableReaderTest {

    private static final String TABLE = "daily_event_counts";
    private static final PartitionPath APR_09 = new PartitionPath(TABLE, "2026-04-09");
    private static final PartitionPath APR_10 = new PartitionPath(TABLE, "2026-04-10");
    private static final String BUGGY = "{\"dt\":\"2026-04-09\",\"type\":\"purchase\",\"events\":442}";
    private static final String FIXED = "{\"dt\":\"2026-04-09\",\"type\":\"purchase\",\"events\":329}";

    private final LocalServers servers = LocalServers.get();
    private S3ObjectStore store;
    private TableReader reader;

    @BeforeEach
    void setUp() {
        store = new S3ObjectStore(servers.s3(), servers.newBucket("as-of"));
        reader = new TableReader(store);
    }

    @Test
    void read_betweenTwoCommits_givesTheFirstSnapshot_evenThoughItsPartWasOverwritten() {
        Instant beforeAll = instantBetweenWrites();
        commit(APR_09, "run-1", BUGGY);
        Instant between = instantBetweenWrites();
        commit(APR_09, "run-2", FIXED);

        assertThat(reader.read(TABLE, between).get("2026-04-09").manifest().runId()).isEqualTo("run-1");
        assertThat(reader.read(TABLE, between).get("2026-04-09").lines()).containsExactly(BUGGY);
        assertThat(reader.read(TABLE, Instant.now()).get("2026-04-09").lines()).containsExactly(FIXED);
        assertThat(reader.read(TABLE, beforeAll)).isEmpty();
    }

    @Test
    void read_inTheSecondOfACommit_tellsTheVersionsApartByTheirCommitTime() {
        commit(APR_09, "run-1", BUGGY);
        Instant between = Instant.now();
        commit(APR_09, "run-2", FIXED);

        assertThat(reader.read(TABLE, between).get("2026-04-09").lines()).containsExactly(BUGGY);
        assertThat(reader.read(TABLE, Instant.now()).get("2026-04-09").lines()).containsExactly(FIXED);
    }

    @Test
    void read_givesEachPartitionItsOwnSnapshot_andLeavesOutDeletedOnes() {
        commit(APR_09, "run-1", BUGGY);
        commit(APR_10, "run-1", FIXED.replace("04-09", "04-10"));
        Instant bothThere = instantBetweenWrites();
        store.deleteAll(List.of(APR_10.manifestKey()));

        assertThat(reader.read(TABLE, bothThere)).containsOnlyKeys("2026-04-09", "2026-04-10");
        assertThat(reader.read(TABLE, Instant.now())).containsOnlyKeys("2026-04-09");
    }

    /**
     * An instant after every write so far and before every later one. S3 keeps LastModified to the second, so this
     * waits for a new second, takes the instant, and waits for the next second before returning.
     */
    private static Instant instantBetweenWrites() {
        Instant written = Instant.now();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > written.getEpochSecond());
        Instant between = Instant.now();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > between.getEpochSecond());
        return between;
    }

    /** Writes the part at one fixed key, overwriting earlier versions, and a manifest naming its new version. */
    private void commit(PartitionPath partition, String runId, String line) {
        ObjectVersion part = store.put(partition.prefix() + "part-00000.jsonl.gz", Gzip.compress(line + "\n"));
        Manifest manifest = new Manifest(Manifest.VERSION, TABLE, TABLE,
                new Manifest.WindowRef(partition.label(), Instant.parse(partition.label() + "T00:00:00Z"),
                        Instant.parse(partition.label() + "T00:00:00Z").plus(Duration.ofDays(1))),
                runId, 1, "f1-a1-" + runId, "test", 1,
                List.of(new Manifest.Part(part.key(), part.versionId(), part.etag(), part.size(), 1)), List.of(),
                Instant.now(), Instant.now());
        store.put(partition.manifestKey(), Json.write(manifest));
    }
}
