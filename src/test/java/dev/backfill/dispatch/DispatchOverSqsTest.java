package dev.backfill.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.InvalidRequestException;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.aws.SqsWindowQueue;
import dev.backfill.job.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.ledger.RunLedger;
import dev.backfill.testing.LocalServers;
import dev.backfill.testing.MutableClock;
import dev.backfill.window.WindowRange;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The dispatcher through the real S3 and SQS adapters, against S3Proxy and ElasticMQ. */
class DispatchOverSqsTest {

    private static final LocalDate JAN_01_2016 = LocalDate.of(2016, 1, 1);

    private final LocalServers servers = LocalServers.get();
    private final ExecutorService io = Executors.newFixedThreadPool(8);
    private String bucket;
    private String queueUrl;
    private Dispatcher dispatcher;

    @BeforeEach
    void setUp() {
        bucket = servers.newBucket("dispatch");
        queueUrl = servers.newQueue("dispatch");
        S3ObjectStore store = new S3ObjectStore(servers.s3(), bucket);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        DispatchPlanner planner = new DispatchPlanner(JobRegistry.of(List.of(DailyEventCounts.fixed())),
                new DispatchPlanner.Settings(ZoneOffset.UTC, 3_660, DailyEventCounts.NAME, "test"), clock,
                () -> "abc123");
        dispatcher = new Dispatcher(planner, new RunLedger(store, io), new SqsWindowQueue(servers.sqs(), queueUrl, io, 3),
                clock);
    }

    @AfterEach
    void tearDown() {
        io.shutdownNow();
    }

    @Test
    void dispatch_3650Windows_endsUpAsExactly3650Messages() {
        LocalDate end = JAN_01_2016.plusDays(3_650);

        DispatchSummary summary = dispatcher.dispatch(
                new DispatchRequest.Backfill(DailyEventCounts.NAME, WindowRange.of(JAN_01_2016, end)));

        assertThat(summary).isEqualTo(new DispatchSummary("20261125T100000Z-abc123", 3_650, 3_650, "2016-01-01",
                end.minusDays(1).toString()));
        List<String> labels = servers.receiveAll(queueUrl).stream()
                .map(Message::body).map(WindowMessage::parse).map(message -> message.window().label())
                .toList();
        assertThat(labels).hasSize(3_650).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(Stream.iterate(JAN_01_2016, d -> d.isBefore(end), d -> d.plusDays(1))
                        .map(LocalDate::toString).toList());
        assertThat(servers.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(RunLedger.PREFIX)).contents()
                .stream().count()).isEqualTo(3_651);
    }

    @Test
    void dispatch_refusedRequest_leavesQueueAndBucketUntouched() {
        WindowRange tooLong = WindowRange.of(JAN_01_2016, JAN_01_2016.plusDays(3_661));

        assertThatThrownBy(() -> dispatcher.dispatch(new DispatchRequest.Backfill(DailyEventCounts.NAME, tooLong)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range 2016-01-01 .. 2026-01-09: 3661 windows exceed the maximum of 3660");

        assertThat(servers.depth(queueUrl)).isZero();
        assertThat(servers.s3().listObjectVersions(r -> r.bucket(bucket)).versions()).isEmpty();
    }
}
