package dev.backfill.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.InvalidRequestException;
import dev.backfill.Json;
import dev.backfill.action.ActionRouter;
import dev.backfill.action.DispatcherActions;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.aws.SqsWindowQueue;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunRecord;
import dev.backfill.local.aws.LocalResources;
import dev.backfill.testing.LocalServers;
import dev.backfill.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** The dispatcher's actions through the real S3 and SQS adapters, against S3Proxy and ElasticMQ. */
class DispatchOverSqsTest {

    private static final LocalDate JAN_01_2016 = LocalDate.of(2016, 1, 1);

    private final LocalServers servers = LocalServers.get();
    private final ExecutorService io = Executors.newFixedThreadPool(8);
    private final ExecutorService dispatch = Executors.newFixedThreadPool(8);
    private String bucket;
    private String queueUrl;
    private String dlqUrl;
    private ActionRouter router;

    @BeforeEach
    void setUp() {
        bucket = servers.newBucket("dispatch");
        dlqUrl = servers.newQueue("dispatch-dlq");
        String dlqArn = servers.sqs().getQueueAttributes(r -> r.queueUrl(dlqUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrl = servers.sqs().createQueue(r -> r.queueName("dispatch-work-" + System.nanoTime())
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "300", QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"1\"}"))).queueUrl();
        S3ObjectStore store = new S3ObjectStore(servers.s3(), bucket);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        router = DispatcherActions.router(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
                new SqsWindowQueue(servers.sqs(), queueUrl, Optional.of(dlqUrl), io, 3), clock,
                RateBudget.unlimited(), () -> "abc123", io, dispatch,
                new DispatcherActions.Settings(ZoneOffset.UTC, 3_660, "test", DailyEventCounts.NAME, 7,
                        new Estimator.Settings(4, 0, Duration.ofMinutes(5), 1024)));
    }

    @AfterEach
    void tearDown() {
        io.shutdownNow();
        dispatch.shutdownNow();
    }

    @Test
    void backfill_3650Windows_endsUpAsExactly3650Messages_andNoLedgerObjectPerWindow() {
        LocalDate end = JAN_01_2016.plusDays(3_650);

        JsonNode summary = call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2016-01-01\","
                + "\"end\":\"" + end + "\"}");

        assertThat(summary.get("runId").asText()).isEqualTo("20261125T100000Z-abc123");
        assertThat(summary.get("enqueued").asInt()).isEqualTo(3_650);
        List<String> labels = servers.drain(queueUrl).stream()
                .map(Message::body).map(WindowMessage::parse).map(message -> message.window().label())
                .toList();
        assertThat(labels).hasSize(3_650).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(Stream.iterate(JAN_01_2016, d -> d.isBefore(end), d -> d.plusDays(1))
                        .map(LocalDate::toString).toList());
        // run.json and one sent-marker per chunk of 100 windows.
        assertThat(servers.s3().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(RunLedger.PREFIX)).contents()
                .stream().count()).isEqualTo(1 + 37);
    }

    /**
     * What "oldest first" means with concurrent sends to a standard queue, seen at the HTTP layer. The dispatcher
     * sends the plan's chunks of {@value RunRecord#CHUNK} windows, oldest chunk first, at most as many at once as its
     * executor has threads (here 2), each chunk's batches of 10 concurrently on the io executor (here 4). So a chunk
     * starts only once all but one of the chunks before it are on the queue: when any batch of chunk c is sent, at
     * least (c - 1) x 100 windows older than it have been acknowledged by SQS. Neither the order of batches in
     * flight nor a standard queue's receive order is promised, and this test does not assume either.
     */
    @Test
    void backfill_1000Windows_sendsAChunkOnlyOnceTheChunksBeforeItButTheParallelOnesAreAcknowledged() {
        int parallelChunks = 2;
        SendLog log = new SendLog();
        ExecutorService fewIo = Executors.newFixedThreadPool(4);
        ExecutorService fewChunks = Executors.newFixedThreadPool(parallelChunks);
        try (SqsClient recorded = LocalResources.sqsClient(URI.create(servers.sqsEndpoint()), List.of(log))) {
            ActionRouter ordered = DispatcherActions.router(JobRegistry.of(List.of(DailyEventCounts.fixed())),
                    new S3ObjectStore(servers.s3(), bucket),
                    new SqsWindowQueue(recorded, queueUrl, Optional.of(dlqUrl), fewIo, 3),
                    new MutableClock(Instant.parse("2026-11-25T10:00:00Z")), RateBudget.unlimited(), () -> "ord123",
                    fewIo, fewChunks, new DispatcherActions.Settings(ZoneOffset.UTC, 3_660, "test",
                            DailyEventCounts.NAME, 7, new Estimator.Settings(4, 0, Duration.ofMinutes(5), 1024)));
            LocalDate end = JAN_01_2016.plusDays(1_000);
            List<String> plan = JAN_01_2016.datesUntil(end).map(LocalDate::toString).toList();

            JsonNode summary = call(ordered, "{\"action\":\"backfill\",\"job\":\"daily_event_counts\","
                    + "\"start\":\"2016-01-01\",\"end\":\"" + end + "\"}");

            assertThat(summary.get("enqueued").asInt()).isEqualTo(1_000);
            assertThat(log.sends).as("one SendMessageBatch per 10 windows, none failed").hasSize(100);
            for (SendLog.Send send : log.sends) {
                int chunk = plan.indexOf(send.oldest()) / RunRecord.CHUNK;
                assertThat(send.olderAcknowledged())
                        .as("windows older than %s acknowledged when its batch (chunk %d) was sent", send.oldest(),
                                chunk)
                        .isGreaterThanOrEqualTo((chunk - parallelChunks + 1) * RunRecord.CHUNK);
            }
            assertThat(log.sends).as("later chunks were sent, so the bound above was tested")
                    .anySatisfy(send -> assertThat(plan.indexOf(send.oldest())).isGreaterThanOrEqualTo(900));
            assertThat(log.acknowledged.subList(0, RunRecord.CHUNK))
                    .as("the first 100 windows on the queue are among the oldest %d", parallelChunks * RunRecord.CHUNK)
                    .allMatch(label -> plan.indexOf(label) < parallelChunks * RunRecord.CHUNK);
            assertThat(servers.drain(queueUrl)).extracting(m -> WindowMessage.parse(m.body()).window().label())
                    .containsExactlyInAnyOrderElementsOf(plan);
        } finally {
            fewIo.shutdownNow();
            fewChunks.shutdownNow();
        }
    }

    /** The SendMessageBatch calls as the SDK sends them, and the windows SQS acknowledged, in that order. */
    private static final class SendLog implements ExecutionInterceptor {

        /** A batch on its way to SQS, and how many windows older than its oldest SQS had acknowledged by then. */
        record Send(String oldest, int olderAcknowledged) { }

        final List<Send> sends = new CopyOnWriteArrayList<>();
        final List<String> acknowledged = new ArrayList<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            if (context.request() instanceof SendMessageBatchRequest batch) {
                String oldest = batch.entries().stream().map(e -> label(e.messageBody())).min(String::compareTo)
                        .orElseThrow();
                synchronized (acknowledged) {
                    sends.add(new Send(oldest, (int) acknowledged.stream()
                            .filter(label -> label.compareTo(oldest) < 0).count()));
                }
            }
        }

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof SendMessageBatchRequest batch
                    && context.response() instanceof SendMessageBatchResponse response) {
                Map<String, String> byId = batch.entries().stream().collect(Collectors.toMap(
                        SendMessageBatchRequestEntry::id, e -> label(e.messageBody())));
                synchronized (acknowledged) {
                    response.successful().forEach(ok -> acknowledged.add(byId.get(ok.id())));
                }
            }
        }

        private static String label(String body) {
            return WindowMessage.parse(body).window().label();
        }
    }

    @Test
    void backfill_refusedRequest_leavesQueueAndBucketUntouched() {
        assertThatThrownBy(() -> call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\","
                + "\"start\":\"2016-01-01\",\"end\":\"2026-01-09\"}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range 2016-01-01 .. 2026-01-09: 3661 windows exceed the maximum of 3660");

        assertThat(servers.depth(queueUrl)).isZero();
        assertThat(servers.s3().listObjectVersions(r -> r.bucket(bucket)).versions()).isEmpty();
    }

    @Test
    void redrive_movesTheDeadLetterQueueBackToTheWorkQueue_withElasticMqsMessageMoveTask() {
        servers.sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"v\":1}"));
        // maxReceiveCount 1: the second receive moves it to the DLQ.
        List<Message> first = servers.sqs().receiveMessage(r -> r.queueUrl(queueUrl)).messages();
        servers.sqs().changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(first.get(0).receiptHandle())
                .visibilityTimeout(0));
        await("the message to reach the DLQ").atMost(Duration.ofSeconds(20)).until(() -> {
            servers.sqs().receiveMessage(r -> r.queueUrl(queueUrl).visibilityTimeout(0));
            return servers.depth(dlqUrl) == 1;
        });

        JsonNode answer = call("{\"action\":\"redrive\"}");

        assertThat(answer.get("messages").asLong()).isEqualTo(1);
        assertThat(answer.get("method").asText()).isEqualTo("StartMessageMoveTask");
        await("the message back on the work queue").atMost(Duration.ofSeconds(20))
                .until(() -> servers.depth(queueUrl) == 1 && servers.depth(dlqUrl) == 0);
    }

    private JsonNode call(String json) {
        return call(router, json);
    }

    private static JsonNode call(ActionRouter router, String json) {
        try {
            return Json.mapper().valueToTree(router.handle(Json.mapper().readValue(json,
                    new TypeReference<Map<String, Object>>() { })));
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
