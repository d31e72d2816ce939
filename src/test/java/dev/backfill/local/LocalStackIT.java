package dev.backfill.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.local.aws.LocalResources;
import dev.backfill.local.aws.LocalResources.QueueDepth;
import dev.backfill.local.config.LocalNames;
import dev.backfill.local.config.LocalStackConfig;
import dev.backfill.local.demo.DemoStory;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.testing.Gzip;
import dev.backfill.window.WindowRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The local stack end to end: the packaged function zip in separate processes, driven through the Lambda Invoke API
 * with the AWS SDK's {@link LambdaClient}, as a user drives it with the AWS CLI. One stack, on free ports, for the
 * class; demo input only for the days the tests read.
 */
class LocalStackIT {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_30 = LocalDate.of(2026, 4, 30);
    private static final WindowRange THREE_WEEKS = WindowRange.of(APR_09, APR_30);
    private static final int CAP = 3;
    /** One worker process more than the cap: only the event source mapping keeps invocations under it. */
    private static final int WORKERS = CAP + 1;

    private static LocalStack stack;
    private static LambdaClient lambda;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(LocalStackConfig.fromEnvironment(Map.of("BACKFILL_MAX_CONCURRENCY", "" + CAP,
                        "BACKFILL_LOCAL_WORKERS", "" + WORKERS))
                .withFreePorts()
                .withSeed(THREE_WEEKS)
                .withLogDir(Path.of("target", "local-stack-it", "logs")));
        lambda = DemoStory.lambdaClient(stack);
    }

    @AfterAll
    static void stopStack() {
        if (lambda != null) {
            lambda.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void backfill_throughTheInvokeApi_commitsEveryWindow_inParallel_underTheCap() {
        InvokeResponse response = invoke(LocalNames.DISPATCHER, backfill("2026-04-09", "2026-04-30"));

        assertThat(response.functionError()).isNull();
        assertThat(response.executedVersion()).isEqualTo("$LATEST");
        DispatchSummary summary = Json.read(response.payload().asByteArray(), DispatchSummary.class);
        assertThat(summary).extracting(DispatchSummary::windows, DispatchSummary::enqueued, DispatchSummary::first,
                DispatchSummary::last).containsExactly(21, 21, "2026-04-09", "2026-04-29");

        RunLedger ledger = new RunLedger(stack.store());
        List<String> labels = THREE_WEEKS.start().datesUntil(THREE_WEEKS.end()).map(LocalDate::toString).toList();
        await("every window of run " + summary.runId() + " succeeded").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(labels).allSatisfy(label -> assertThat(ledger.window(summary.runId(), label))
                        .map(WindowStatus::state).contains(WindowState.SUCCEEDED)));

        for (String label : labels) {
            assertPartitionHoldsTheCountsOfItsInput(summary.runId(), LocalDate.parse(label));
        }
        // As the functions see it: invocations taken from the runtime API by the worker processes and not yet
        // answered. With WORKERS > CAP processes polling, nothing but the mapping keeps this at CAP or below.
        assertThat(stack.peakWorkerExecutions())
                .as("worker invocations running at once in the %d worker processes (cap %d)", WORKERS, CAP)
                .isBetween(2, CAP);
        assertThat(stack.peakConcurrency()).as("the mapping's own count of invocations in flight").isBetween(2, CAP);
    }

    @Test
    void badRequest_comesBackAsAFunctionError_andSendsNothing() {
        long invocationsBefore = stack.workerInvocations();
        QueueDepth depthBefore = stack.queueDepth();
        List<String> ledgerBefore = keys(RunLedger.PREFIX);

        InvokeResponse response = invoke(LocalNames.DISPATCHER, backfill("2026-04-30", "2026-04-09"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.functionError()).isEqualTo("Unhandled");
        JsonNode error = json(response.payload().asUtf8String());
        assertThat(error.path("errorType").asText()).isEqualTo("dev.backfill.InvalidRequestException");
        assertThat(error.path("errorMessage").asText())
                .isEqualTo("Cannot split range: end 2026-04-09 is not after start 2026-04-30 (end is exclusive)");
        assertThat(stack.queueDepth()).isEqualTo(depthBefore);
        assertThat(stack.workerInvocations()).isEqualTo(invocationsBefore);
        assertThat(keys(RunLedger.PREFIX)).isEqualTo(ledgerBefore);
    }

    @Test
    void messageTheWorkerCannotRead_goesStraightToTheDeadLetterQueueWithItsReason_afterOneDelivery() {
        QueueDepth before = stack.queueDepth();
        long invocationsBefore = stack.workerInvocations();

        stack.sqs().sendMessage(r -> r.queueUrl(stack.queues().workUrl()).messageBody("{\"v\":1,\"runId\":"));

        await("the message parked in the DLQ and gone from the work queue").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                        assertThat(stack.queueDepth()).isEqualTo(new QueueDepth(0, 0, before.deadLettered() + 1)));
        assertThat(stack.workerInvocations() - invocationsBefore).isEqualTo(1);
        var parked = stack.sqs().receiveMessage(r -> r.queueUrl(stack.queues().deadLetterUrl())
                .maxNumberOfMessages(10).messageAttributeNames("All").visibilityTimeout(0)).messages();
        assertThat(parked).anySatisfy(message -> assertThat(message.messageAttributes().get("reason").stringValue())
                .isEqualTo("InvalidRequestException: Malformed window message: not JSON"));
    }

    @Test
    void eachProcess_reportsItsInitDuration_andEachInvocation_asLambdaDoes() {
        assertThat(stack.initDurations()).containsOnlyKeys(LocalNames.DISPATCHER, LocalNames.WORKER);
        assertThat(stack.initDurations().get(LocalNames.DISPATCHER)).hasSize(1);
        assertThat(stack.initDurations().get(LocalNames.WORKER)).hasSize(WORKERS)
                .allSatisfy(init -> assertThat(init).isPositive());

        invoke(LocalNames.DISPATCHER, backfill("2026-04-30", "2026-04-09"));

        Path log = stack.config().logDir().resolve(LocalNames.DISPATCHER + "-1.log");
        await("the dispatcher's INIT_REPORT and REPORT lines in " + log).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.readAllLines(log))
                .anySatisfy(line -> assertThat(line).matches("INIT_REPORT Init Duration: \\d+\\.\\d{2} ms\tPhase: init"
                        + "\tStatus: success"))
                .anySatisfy(line -> assertThat(line).matches("REPORT RequestId: [0-9a-f-]{36}"
                        + "\tDuration: \\d+\\.\\d{2} ms\tBilled Duration: \\d+ ms\tMemory Size: 1024 MB.*"
                        + "\tInit Duration: \\d+\\.\\d{2} ms")));
    }

    @Test
    void unknownFunction_isResourceNotFound() {
        assertThatThrownBy(() -> invoke("backfill-nope", "{}"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:"
                        + "backfill-nope");
    }

    private static String backfill(String start, String end) {
        return "{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"" + start + "\",\"end\":\"" + end
                + "\"}";
    }

    private static InvokeResponse invoke(String function, String payload) {
        return lambda.invoke(r -> r.functionName(function).payload(SdkBytes.fromUtf8String(payload)));
    }

    /** The manifest lists exactly the part objects under the prefix, and the rows are the input's counts. */
    private static void assertPartitionHoldsTheCountsOfItsInput(String runId, LocalDate day) {
        ObjectStore store = stack.store();
        PartitionPath partition = new PartitionPath(DailyEventCounts.NAME, day.toString());
        Manifest manifest = Json.read(store.get(partition.manifestKey()).orElseThrow().content(), Manifest.class);
        assertThat(manifest.runId()).isEqualTo(runId);
        assertThat(manifest.window().label()).isEqualTo(day.toString());
        List<String> listed = new ArrayList<>(manifest.parts().stream().map(Manifest.Part::key).toList());
        listed.add(partition.manifestKey());
        assertThat(keys(partition.prefix())).containsExactlyInAnyOrderElementsOf(listed);

        Map<String, JsonNode> rows = new TreeMap<>();
        for (Manifest.Part part : manifest.parts()) {
            byte[] content = store.getVersion(part.key(), part.versionId()).orElseThrow().content();
            Gzip.lines(content).forEach(line -> rows.put(json(line).path("type").asText(), json(line)));
        }
        assertThat(manifest.rows()).isEqualTo(4);
        assertThat(rows).containsOnlyKeys("cart", "purchase", "refund", "view");
        expectedCounts(day).forEach((type, expected) -> {
            JsonNode row = rows.get(type);
            assertThat(row.path("dt").asText()).isEqualTo(day.toString());
            assertThat(new Counts(row.path("events").asLong(), row.path("users").asLong(),
                    row.path("amount_cents").asLong())).as("%s %s", day, type).isEqualTo(expected);
        });
    }

    private record Counts(long events, long users, long amountCents) {
    }

    /** The counts computed here, from the generator's input, independently of the job. */
    private static Map<String, Counts> expectedCounts(LocalDate day) {
        List<JsonNode> events = Gzip.lines(DemoEventGenerator.standard().day(day)).stream()
                .map(LocalStackIT::json).toList();
        return events.stream().collect(Collectors.groupingBy(e -> e.path("type").asText(), TreeMap::new,
                Collectors.collectingAndThen(Collectors.toList(), list -> new Counts(list.size(),
                        list.stream().map(e -> e.path("user").asText()).distinct().count(),
                        list.stream().mapToLong(e -> e.path("amount_cents").asLong()).sum()))));
    }

    private static List<String> keys(String prefix) {
        return stack.store().list(prefix).stream().map(ObjectSummary::key).toList();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
