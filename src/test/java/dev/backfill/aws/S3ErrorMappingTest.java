package dev.backfill.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.BackfillException;
import dev.backfill.RetryableException;
import dev.backfill.local.config.LocalNames;
import dev.backfill.store.PreconditionFailedException;
import dev.backfill.store.ThrottledException;
import dev.backfill.testing.FaultyHttpClient;
import dev.backfill.testing.LocalServers;
import dev.backfill.Json;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowOutcome;
import dev.backfill.worker.WindowWorker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How {@link S3ObjectStore} maps S3's answers onto the port's exceptions, through the real SDK against S3Proxy: the
 * conditions S3Proxy answers itself for real, the rest as S3's own error documents answered in its place at the HTTP
 * layer, so the SDK's retries and error parsing run as against S3.
 */
class S3ErrorMappingTest {

    private final LocalServers servers = LocalServers.get();
    private final String bucket = servers.newBucket("errors");
    private S3Client faulty;

    @AfterEach
    void close() {
        if (faulty != null) {
            faulty.close();
        }
    }

    @Test
    void putIfMatch_onAKeyThatIsGone_isALostCondition() {
        S3ObjectStore store = new S3ObjectStore(servers.s3(), bucket);

        assertThatThrownBy(() -> store.putIfMatch("tables/t/dt=2026-04-09/_manifest.json", bytes("{}"), "\"abc\""))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void putIfMatch_withAStaleETag_isALostCondition() {
        S3ObjectStore store = new S3ObjectStore(servers.s3(), bucket);
        String stale = store.put("m.json", bytes("v1")).etag();
        store.put("m.json", bytes("v2"));

        assertThatThrownBy(() -> store.putIfMatch("m.json", bytes("v3"), stale))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void conflict409_aConcurrentConditionalWriteWon_isALostCondition() {
        S3ObjectStore store = storeAnswering(FaultyHttpClient.any(), FaultyHttpClient.s3Error(409,
                "ConditionalRequestConflict"));

        assertThatThrownBy(() -> store.putIfAbsent("m.json", bytes("{}")))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void tooManyRequests429_andSlowDown503_areThrottled_afterTheSdksOwnRetries() {
        FaultyHttpClient http429 = http(FaultyHttpClient.any(), FaultyHttpClient.s3Error(429, "TooManyRequests"));
        S3ObjectStore store429 = new S3ObjectStore(client(http429), bucket);

        assertThatThrownBy(() -> store429.get("k")).isInstanceOf(ThrottledException.class)
                .hasMessageContaining("429");
        // 4 attempts with the SDK's default (legacy) retry mode here; the point is that the SDK retried first.
        assertThat(http429.injected()).as("attempts before the store gave up").isGreaterThan(1);

        S3ObjectStore store503 = storeAnswering(FaultyHttpClient.any(), FaultyHttpClient.S3_SLOW_DOWN);
        assertThatThrownBy(() -> store503.put("k", bytes("x"))).isInstanceOf(ThrottledException.class)
                .hasMessageContaining("503 SlowDown");
    }

    @Test
    void internalError500_isRetryable_butNotThrottling() {
        S3ObjectStore store = storeAnswering(FaultyHttpClient.any(), FaultyHttpClient.s3Error(500, "InternalError"));

        assertThatThrownBy(() -> store.list("tables/")).isInstanceOf(RetryableException.class)
                .isNotInstanceOf(ThrottledException.class).hasMessageContaining("500 InternalError");
    }

    @Test
    void accessDenied403_isNotRetryable_andNamesTheBucket() {
        S3ObjectStore store = storeAnswering(FaultyHttpClient.any(), FaultyHttpClient.s3Error(403, "AccessDenied"));

        assertThatThrownBy(() -> store.get("k")).isInstanceOf(BackfillException.class)
                .isNotInstanceOf(RetryableException.class)
                .hasMessageContaining("in bucket " + bucket + " failed with 403 AccessDenied");
    }

    @Test
    void deleteObjects_withSomeKeysFailing_isRetryable_namingHowMany() {
        S3ObjectStore plain = new S3ObjectStore(servers.s3(), bucket);
        plain.put("a", bytes("1"));
        plain.put("b", bytes("2"));
        S3ObjectStore store = storeAnswering(FaultyHttpClient.s3DeleteObjects(), new FaultyHttpClient.Fault(200,
                "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult><Error><Key>b</Key>"
                + "<Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error></DeleteResult>"));

        assertThatThrownBy(() -> store.deleteAll(List.of("a", "b"))).isInstanceOf(RetryableException.class)
                .hasMessage("DeleteObjects failed for 1 of 2 keys, first b: SlowDown");
    }

    @Test
    void deleteObjects_withSomeKeysFailing_inTheCleanupAfterACommit_leaveItPending_andTheRedeliveryDeletesThem() {
        S3ObjectStore plain = new S3ObjectStore(servers.s3(), bucket);
        LocalDate day = LocalDate.of(2026, 4, 9);
        Window window = Window.day(day, ZoneOffset.UTC);
        PartitionPath partition = PartitionPath.of(DailyEventCounts.NAME, window);
        DemoEventGenerator.standard().writeDays(plain, day, day.plusDays(1));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(worker(plain, clock).process(WindowMessage.of("run-1", DailyEventCounts.NAME, window, 1_000), 1)
                .result()).isEqualTo(WindowOutcome.Result.COMMITTED);
        String oldPart = manifest(plain, partition).parts().get(0).key();
        FaultyHttpClient http = http(FaultyHttpClient.s3DeleteObjects(), new FaultyHttpClient.Fault(200,
                "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DeleteResult><Error><Key>" + oldPart
                + "</Key><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"
                + "</DeleteResult>"));
        S3ObjectStore deletesFail = new S3ObjectStore(client(http), bucket);
        clock.advance(Duration.ofHours(1));

        WindowOutcome second = worker(deletesFail, clock).process(
                WindowMessage.of("run-2", DailyEventCounts.NAME, window, 2_000), 1);

        assertThat(second.result()).isEqualTo(WindowOutcome.Result.COMMITTED);
        assertThat(second.cleanupFailure()).as("the commit stands, its cleanup is pending")
                .isEqualTo("RetryableException: DeleteObjects failed for 1 of 2 keys, first " + oldPart
                        + ": InternalError");
        assertThat(http.injected()).as("DeleteObjects answered with a per-key error").isEqualTo(1);
        Manifest committed = manifest(plain, partition);
        assertThat(committed.runId()).isEqualTo("run-2");
        // The canned answer kept the whole batch from S3, this attempt's staged upload as well as the old part.
        assertThat(keys(plain, partition)).as("the old part is left over, not lost: the commit stands")
                .contains(partition.manifestKey(), committed.parts().get(0).key(), oldPart).hasSize(4);

        WindowOutcome redelivery = worker(plain, clock).process(
                WindowMessage.of("run-2", DailyEventCounts.NAME, window, 2_000), 2);

        assertThat(redelivery.result()).as("the job is not run again").isEqualTo(WindowOutcome.Result.ALREADY_COMMITTED);
        assertThat(redelivery.cleanupPending()).isFalse();
        assertThat(keys(plain, partition)).containsExactlyInAnyOrder(partition.manifestKey(),
                committed.parts().get(0).key());
    }

    private static WindowWorker worker(ObjectStore store, MutableClock clock) {
        AtomicInteger nonce = new AtomicInteger();
        return new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store, new RunLedger(store),
                RateBudget::unlimited, clock, () -> Integer.toHexString(nonce.incrementAndGet()), "test");
    }

    private static Manifest manifest(ObjectStore store, PartitionPath partition) {
        return Json.read(store.get(partition.manifestKey()).orElseThrow().content(), Manifest.class);
    }

    private static List<String> keys(ObjectStore store, PartitionPath partition) {
        return store.list(partition.prefix()).stream().map(ObjectStore.ObjectSummary::key).toList();
    }

    private S3ObjectStore storeAnswering(Predicate<SdkHttpRequest> which, FaultyHttpClient.Fault fault) {
        return new S3ObjectStore(client(http(which, fault)), bucket);
    }

    private static FaultyHttpClient http(Predicate<SdkHttpRequest> which, FaultyHttpClient.Fault fault) {
        return new FaultyHttpClient(UrlConnectionHttpClient.create(), which, 1.0, fault, 1);
    }

    private S3Client client(FaultyHttpClient http) {
        faulty = S3Client.builder().endpointOverride(URI.create(servers.s3Endpoint()))
                .region(Region.of(LocalNames.REGION)).forcePathStyle(true).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalNames.ACCESS_KEY, LocalNames.SECRET_KEY))).build();
        return faulty;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
