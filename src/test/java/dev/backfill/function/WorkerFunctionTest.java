package dev.backfill.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backfill.Json;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.testing.FunctionProcess;
import dev.backfill.testing.LocalAwsResource;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The worker handler, invoked through Quarkus' Lambda event server with real SQS messages from ElasticMQ. */
@QuarkusTest
@TestProfile(WorkerProfile.class)
@WithTestResource(LocalAwsResource.class)
class WorkerFunctionTest {

    static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_10 = APR_09.plusDays(1);
    static final LocalDate MAY_01 = LocalDate.of(2026, 5, 1);

    private final LocalServers servers = LocalServers.get();
    S3ObjectStore store;

    @BeforeEach
    void setUp() {
        servers.sqs().purgeQueue(r -> r.queueUrl(LocalAwsResource.queueUrl()));
        store = new S3ObjectStore(servers.s3(), LocalAwsResource.bucket());
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_10.plusDays(1));
    }

    @Test
    void batch_withOneMalformedMessage_sendsItStraightToTheDeadLetterQueue_andCommitsTheOthers() {
        String malformed = "{\"v\":1,\"runId\":";
        List<Message> received = sendAndReceive(
                message("run-batch", APR_09).toJson(), malformed, message("run-batch", APR_10).toJson());

        Map<?, ?> response = invoke(received);

        // Reported processed, so the mapping deletes it: it is already on the DLQ, with why.
        assertThat(failedIds(response)).isEmpty();
        List<Message> parked = servers.sqs().receiveMessage(r -> r.queueUrl(LocalAwsResource.dlqUrl())
                .maxNumberOfMessages(10).messageAttributeNames("All")).messages();
        assertThat(parked).singleElement().satisfies(message -> {
            assertThat(message.body()).isEqualTo(malformed);
            assertThat(message.messageAttributes().get("reason").stringValue())
                    .isEqualTo("InvalidRequestException: Malformed window message: not JSON");
        });
        for (LocalDate day : List.of(APR_09, APR_10)) {
            Manifest manifest = manifest(day);
            assertThat(manifest.runId()).isEqualTo("run-batch");
            assertThat(manifest.rows()).isEqualTo(4);
            assertThat(windowStatus("run-batch", day).state()).isEqualTo(WindowState.SUCCEEDED);
        }
    }

    @Test
    void window_withoutInput_isReportedAndComesBackAfterTheBackoffNotTheVisibilityTimeout() {
        List<Message> received = sendAndReceive(message("run-early", MAY_01).toJson());

        Map<?, ?> response = invoke(received);

        assertThat(failedIds(response)).containsExactly(received.get(0).messageId());
        assertThat(windowStatus("run-early", MAY_01).state()).isEqualTo(WindowState.FAILED);
        assertThat(windowStatus("run-early", MAY_01).error()).contains("No input objects under raw/events/dt=2026-05-01/");
        // The queue's visibility timeout is 30 s; the worker's back-off (1 s in tests) brings it back much sooner.
        await("the failed window's message visible again on the work queue after the worker's 1 s back-off")
                .atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(servers.receiveAll(LocalAwsResource.queueUrl())).hasSize(1));
    }

    static WindowMessage message(String runId, LocalDate day) {
        return WindowMessage.of(runId, DailyEventCounts.NAME, Window.day(day, ZoneOffset.UTC), 1_000);
    }

    List<Message> sendAndReceive(String... bodies) {
        for (String body : bodies) {
            servers.sqs().sendMessage(r -> r.queueUrl(LocalAwsResource.queueUrl()).messageBody(body));
        }
        List<Message> received = servers.receiveAll(LocalAwsResource.queueUrl());
        assertThat(received).hasSize(bodies.length);
        return received;
    }

    /** Posts the SQS event the event source mapping would send for these messages. */
    static Map<?, ?> invoke(List<Message> messages) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Message message : messages) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            record.put("attributes", Map.of("ApproximateReceiveCount",
                    message.attributesAsStrings().getOrDefault("ApproximateReceiveCount", "1")));
            record.put("messageAttributes", Map.of());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:us-east-1:000000000000:handler");
            record.put("awsRegion", "us-east-1");
            records.add(record);
        }
        Response response = given().contentType("application/json").accept("application/json")
                .body(Json.writeString(Map.of("Records", records)))
                .when().post(LocalAwsResource.eventServerUrl());
        FunctionProcess.assertAlive();
        return response.then().statusCode(200).extract().as(Map.class);
    }

    private static List<Object> failedIds(Map<?, ?> response) {
        return ((List<?>) response.get("batchItemFailures")).stream()
                .map(failure -> ((Map<?, ?>) failure).get("itemIdentifier"))
                .map(Object.class::cast)
                .toList();
    }

    Manifest manifest(LocalDate day) {
        PartitionPath path = PartitionPath.of(DailyEventCounts.NAME, Window.day(day, ZoneOffset.UTC));
        return Json.read(store.get(path.manifestKey()).orElseThrow().content(), Manifest.class);
    }

    private WindowStatus windowStatus(String runId, LocalDate day) {
        return new RunLedger(store).window(runId, day.toString()).orElseThrow();
    }
}
