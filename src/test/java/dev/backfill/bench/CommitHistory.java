package dev.backfill.bench;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.partition.CommitToken;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Writes what earlier commits leave in a versioned bucket, directly and in parallel, so a history of a thousand
 * commits takes seconds instead of minutes: per earlier commit of a partition, a manifest version and a part that was
 * deleted (a noncurrent version and a delete marker); per other partition of a table, a manifest and a part.
 */
final class CommitHistory {

    private final ObjectStore store;

    CommitHistory(S3Client s3, String bucket) {
        this.store = new S3ObjectStore(s3, bucket);
    }

    /** Adds {@code commits} earlier commits to a committed partition; its current manifest stays as it is. */
    void addEarlierCommits(PartitionPath partition, int commits) {
        byte[] manifest = store.get(partition.manifestKey()).orElseThrow().content();
        List<String> parts = IntStream.range(0, commits)
                .mapToObj(i -> partition.partKey(0, new CommitToken(0, 1, "h" + i)))
                .toList();
        inParallel(commits, i -> store.put(parts.get(i), new byte[] {31, -117}));
        store.deleteAll(parts);
        inParallel(commits, i -> store.put(partition.manifestKey(), manifest));
    }

    /** Adds {@code partitions} more partitions to the table of {@code committed}, after it in time. */
    void addPartitions(PartitionPath committed, int partitions) {
        byte[] manifest = store.get(committed.manifestKey()).orElseThrow().content();
        inParallel(partitions, i -> {
            PartitionPath other = CommitCostBench.partition(i + 1);
            store.put(other.partKey(0, new CommitToken(1, 1, "o" + i)), new byte[] {31, -117});
            store.put(other.manifestKey(), manifest);
        });
    }

    private static void inParallel(int count, IntConsumer task) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CompletableFuture.allOf(IntStream.range(0, count)
                    .mapToObj(i -> CompletableFuture.runAsync(() -> task.accept(i), pool))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            pool.shutdown();
        }
    }
}
