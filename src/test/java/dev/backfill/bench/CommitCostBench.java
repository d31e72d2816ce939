package dev.backfill.bench;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.bench.Figure.Verdict;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.local.config.LocalNames;
import dev.backfill.partition.PartitionPath;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowWorker;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * P3: S3 requests of one window's commit, counted on the wire by an {@link S3RequestCounter} on the S3 client the
 * worker's {@link S3ObjectStore} uses, for partitions with 1, 100 and 1,000 earlier commits in a table of 10
 * partitions, and for a partition of a table of 1,000; with the time of the commit and of its partition listing.
 */
final class CommitCostBench {

    static final LocalDate JAN_01 = LocalDate.of(2026, 1, 1);
    /** Commits measured per case; each is counted, the time is their median. */
    private static final int MEASURED = 5;

    private final LocalServers servers;
    private final S3RequestCounter counter = new S3RequestCounter();
    private final S3Client counted;
    private final AtomicInteger nonce = new AtomicInteger();
    private long fence = 1;

    CommitCostBench(LocalServers servers) {
        this.servers = servers;
        this.counted = S3Client.builder().endpointOverride(URI.create(servers.s3Endpoint()))
                .region(Region.US_EAST_1).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalNames.ACCESS_KEY, LocalNames.SECRET_KEY)))
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }

    Section run() throws Exception {
        String small = servers.newBucket("bench-commit-10");
        String large = servers.newBucket("bench-commit-1000");
        CommitHistory smallTable = new CommitHistory(servers.s3(), small);
        CommitHistory largeTable = new CommitHistory(servers.s3(), large);
        new DemoEventGenerator(7, 300).writeDays(new S3ObjectStore(servers.s3(), small), JAN_01, JAN_01.plusDays(10));
        new DemoEventGenerator(7, 300).writeDays(new S3ObjectStore(servers.s3(), large), JAN_01, JAN_01.plusDays(1));
        for (int day = 0; day < 10; day++) {
            commit(small, day);
        }
        smallTable.addEarlierCommits(partition(1), 98);
        smallTable.addEarlierCommits(partition(2), 998);
        commit(small, 1);
        commit(small, 2);
        commit(large, 0);
        largeTable.addPartitions(partition(0), 999);
        for (int warmUp = 0; warmUp < MEASURED; warmUp++) {
            commit(small, 3);
        }

        List<Case> cases = List.of(measure("1 earlier commit, table of 10 partitions", small, 0),
                measure("100 earlier commits, table of 10", small, 1),
                measure("1,000 earlier commits, table of 10", small, 2),
                measure("1 earlier commit, table of 1,000 partitions", large, 0));
        counted.close();
        return CommitCostFigures.section(cases, Estimator.S3_REQUESTS_PER_WINDOW);
    }

    /** What {@link #MEASURED} commits of one partition cost. */
    record Case(String name, List<Map<String, Integer>> requests, double commitMillis, double listMillis) {

        int total() {
            return requests.get(0).values().stream().mapToInt(Integer::intValue).sum();
        }

        boolean constant() {
            return requests.stream().distinct().count() == 1;
        }
    }

    private Case measure(String name, String bucket, int day) {
        List<Map<String, Integer>> requests = new ArrayList<>();
        List<Double> commitMillis = new ArrayList<>();
        List<Double> listMillis = new ArrayList<>();
        String prefix = partition(day).prefix();
        for (int i = 0; i < MEASURED; i++) {
            counter.drain();
            long started = System.nanoTime();
            commit(bucket, day);
            commitMillis.add((System.nanoTime() - started) / 1e6);
            List<S3RequestCounter.Request> sent = counter.drain();
            requests.add(S3RequestCounter.byOperation(sent));
            listMillis.add(sent.stream().filter(r -> prefix.equals(r.prefix()))
                    .mapToLong(S3RequestCounter.Request::nanos).sum() / 1e6);
        }
        return new Case(name, requests, median(commitMillis), median(listMillis));
    }

    /** One real commit of a day's window, by a worker on the counted client; each with a newer fence. */
    private void commit(String bucket, int day) {
        S3ObjectStore store = new S3ObjectStore(counted, bucket);
        WindowWorker worker = new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
                new RunLedger(store), RateBudget::unlimited, Clock.systemUTC(),
                () -> Integer.toHexString(nonce.incrementAndGet()), "bench");
        long token = fence++;
        worker.process(WindowMessage.of("bench-commit-" + token, DailyEventCounts.NAME,
                Window.day(JAN_01.plusDays(day), ZoneOffset.UTC), token), 1);
    }

    static PartitionPath partition(int day) {
        return PartitionPath.of(DailyEventCounts.NAME, Window.day(JAN_01.plusDays(day), ZoneOffset.UTC));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
