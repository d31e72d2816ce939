package dev.backfill.testing;

import dev.backfill.Json;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore.ObjectVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Commits of {@code daily_event_counts} partitions written straight into a bucket, as a worker's commit leaves
 * them: a part and a manifest naming its version, committed now. For tests of the readers.
 */
public final class TableWrites {

    public static final String TABLE = "daily_event_counts";

    private final S3ObjectStore store;

    public TableWrites(S3Client s3, String bucket) {
        this.store = new S3ObjectStore(s3, bucket);
    }

    /** One row, {@code type} purchase with {@code events} events. */
    public ObjectVersion commit(String day, String runId, long events) {
        return commitLines(day, runId, List.of("{\"dt\":\"" + day + "\",\"type\":\"purchase\",\"events\":" + events
                + ",\"users\":" + events / 2 + ",\"amount_cents\":" + events * 100 + "}"));
    }

    /** {@code count} rows of distinct types. */
    public ObjectVersion commitRows(String day, String runId, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lines.add("{\"dt\":\"" + day + "\",\"type\":\"type" + i + "\",\"events\":" + i
                    + ",\"users\":1,\"amount_cents\":0}");
        }
        return commitLines(day, runId, lines);
    }

    private ObjectVersion commitLines(String day, String runId, List<String> lines) {
        PartitionPath partition = new PartitionPath(TABLE, day);
        ObjectVersion part = store.put(partition.prefix() + "part-00000-" + runId + ".jsonl.gz",
                Gzip.compress(String.join("\n", lines) + "\n"));
        Instant start = Instant.parse(day + "T00:00:00Z");
        Manifest manifest = new Manifest(Manifest.VERSION, TABLE, TABLE,
                new Manifest.WindowRef(day, start, start.plus(Duration.ofDays(1))), runId, 1, "f1-a1-x", "test",
                lines.size(), List.of(new Manifest.Part(part.key(), part.versionId(), part.etag(), part.size(),
                        lines.size())), List.of(), Instant.now(), Instant.now());
        return store.put(partition.manifestKey(), Json.write(manifest));
    }
}
