package dev.backfill.function;

import static dev.backfill.function.DispatcherFunctionTest.invoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore;
import dev.backfill.testing.LocalAwsResource;
import dev.backfill.testing.LocalServers;
import dev.backfill.worker.WindowWorker;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code publish} and {@code discard} through Quarkus' Lambda event server, against S3Proxy: a staged run whose
 * windows a worker (the domain's, over the same bucket) staged, an audit gate refusing, then a forced publish.
 */
@QuarkusTest
@TestProfile(DispatcherProfile.class)
@WithTestResource(LocalAwsResource.class)
class PublishFunctionTest {

    private static final LocalDate MAR_01 = LocalDate.of(2026, 3, 1);
    private static final LocalDate MAR_03 = LocalDate.of(2026, 3, 3);
    private static final String RANGE = "\"job\":\"daily_event_counts\",\"start\":\"2026-03-01\",\"end\":\"2026-03-03\"";

    private final LocalServers servers = LocalServers.get();
    private final ObjectStore store = new S3ObjectStore(servers.s3(), LocalAwsResource.bucket());
    private final AtomicInteger nonces = new AtomicInteger();
    private final WindowWorker worker = new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
            new RunLedger(store), RateBudget::unlimited, Clock.systemUTC(),
            () -> String.format("p%05x", nonces.incrementAndGet()), "test");

    @Test
    void publish_refusedByAGate_changesNothing_thenForcedPublishesTheStagedWindows() throws IOException {
        DemoEventGenerator.standard().writeDays(store, MAR_01, MAR_03);
        servers.sqs().purgeQueue(r -> r.queueUrl(LocalAwsResource.queueUrl()));
        work(invoke("{\"action\":\"backfill\"," + RANGE + "}").then().log().ifValidationFails().statusCode(200).extract().path("runId"));
        store.put(DemoEventGenerator.keyOf(MAR_01), gzip("{\"ts\":\"2026-03-01T01:00:00Z\",\"user\":\"u1\","
                + "\"type\":\"view\",\"amount_cents\":0}\n"));
        String runId = invoke("{\"action\":\"backfill\"," + RANGE + ",\"publish\":\"staged\"}").then()
                .statusCode(200).extract().path("runId");
        work(runId);
        invoke("{\"action\":\"status\",\"runId\":\"" + runId + "\"}").then().log().ifValidationFails().statusCode(200)
                .body("state", equalTo("staged")).body("counts.staged", equalTo(2));
        PartitionPath mar01 = new PartitionPath(DailyEventCounts.NAME, "2026-03-01");
        byte[] live = store.get(mar01.manifestKey()).orElseThrow().content();

        invoke("{\"action\":\"publish\",\"runId\":\"" + runId + "\"}").then().log().ifValidationFails().statusCode(500)
                .body("errorType", equalTo("dev.backfill.action.GatesFailedException"))
                .body("errorMessage", startsWith("Cannot publish run " + runId + ": 4 audit gate check(s) failed "
                        + "on 1 day(s); nothing was published (send \"force\":true to publish anyway, or relax "
                        + "\"gates\"): 2026-03-01 maxRowChangePct: rows 4 -> 1 (-75.0 %, limit ±25.0 %)"));
        assertThat(store.get(mar01.manifestKey()).orElseThrow().content()).isEqualTo(live);

        invoke("{\"action\":\"publish\",\"runId\":\"" + runId + "\",\"force\":true}").then().log().ifValidationFails().statusCode(200)
                .body("counts.published", equalTo(2)).body("forced", equalTo(true))
                .body("failedGates[0].gate", equalTo("maxRowChangePct"))
                .body("windows[0].result", equalTo("published"));
        assertThat(store.get(mar01.manifestKey()).orElseThrow().content()).isNotEqualTo(live);
        assertThat(store.list(mar01.prefix())).extracting(ObjectStore.ObjectSummary::key)
                .noneMatch(PartitionPath::isRunStaged);
        invoke("{\"action\":\"discard\",\"runId\":\"" + runId + "\"}").then().log().ifValidationFails().statusCode(200)
                .body("objects", equalTo(0));
    }

    @Test
    void publish_ofAnUnknownRun_isRefused() {
        invoke("{\"action\":\"publish\",\"runId\":\"20260101T000000Z-000000\",\"force\":true}").then()
                .statusCode(500)
                .body("errorType", equalTo("dev.backfill.InvalidRequestException"))
                .body("errorMessage", equalTo("Unknown runId '20260101T000000Z-000000'"));
    }

    /** Processes the run's messages from the queue once each, as the worker function would. */
    private void work(String runId) {
        List<WindowMessage> messages = servers.receiveAll(LocalAwsResource.queueUrl()).stream().map(Message::body)
                .map(WindowMessage::parse).toList();
        assertThat(messages).hasSize(2).allSatisfy(message -> assertThat(message.runId()).isEqualTo(runId));
        messages.forEach(message -> worker.process(message, 1));
    }

    private static byte[] gzip(String lines) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(lines.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
