package dev.backfill.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.nullValue;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.testing.FunctionProcess;
import dev.backfill.testing.Gzip;
import dev.backfill.testing.LocalAwsResource;
import dev.backfill.testing.LocalServers;
import dev.backfill.testing.TableWrites;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/** The dispatcher handler, invoked through Quarkus' Lambda event server against S3Proxy and ElasticMQ. */
@QuarkusTest
@TestProfile(DispatcherProfile.class)
@WithTestResource(LocalAwsResource.class)
class DispatcherFunctionTest {

    private final LocalServers servers = LocalServers.get();

    @BeforeEach
    void emptyQueue() {
        servers.sqs().purgeQueue(r -> r.queueUrl(LocalAwsResource.queueUrl()));
    }

    @Test
    void backfill_21Days_enqueuesOneMessagePerWindowAndAnswersTheSummary() {
        Response response = invoke("""
                {"action":"backfill","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-30"}""");

        response.then().statusCode(200)
                .body("windows", equalTo(21)).body("enqueued", equalTo(21))
                .body("first", equalTo("2026-04-09")).body("last", equalTo("2026-04-29"));
        String runId = response.jsonPath().getString("runId");
        List<WindowMessage> messages = servers.receiveAll(LocalAwsResource.queueUrl()).stream()
                .map(Message::body).map(WindowMessage::parse).toList();
        assertThat(messages).hasSize(21).allSatisfy(message -> assertThat(message.runId()).isEqualTo(runId));
        assertThat(messages.stream().map(m -> m.window().label()).sorted())
                .hasSize(21).doesNotHaveDuplicates().startsWith("2026-04-09").endsWith("2026-04-29");
        assertThat(keys("_backfill/runs/" + runId + "/"))
                .containsExactly("_backfill/runs/" + runId + "/run.json", "_backfill/runs/" + runId + "/sent/00000");
    }

    @Test
    void plan_answersTheWindowsProbeAndEstimate_andSendsNothing() {
        Response response = invoke("""
                {"action":"plan","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-16"}""");

        response.then().statusCode(200)
                .body("inRange", equalTo(7)).body("toRun", equalTo(7)).body("missing", equalTo(7))
                .body("estimate.makespan", equalTo("unknown"))
                .body("warnings[0]", equalTo("7 of 7 windows have no input and would fail: 2026-04-09, 2026-04-10, "
                        + "2026-04-11, 2026-04-12, 2026-04-13, 2026-04-14, 2026-04-15"));
        assertThat(servers.depth(LocalAwsResource.queueUrl())).isZero();
    }

    /**
     * Every WindowJob bean is served, found by the container with no list edited: the two example jobs and the
     * guide's {@code hourly_purchases}, a test-side class. Its hour grain reaches the plan; the API job's horizon
     * (90 days by default) leaves April out as not served.
     */
    @Test
    void jobs_anHourGrainBeanOfTheTests_isFoundWithItsGrain() {
        invoke("""
                {"action":"plan","job":"hourly_purchases","start":"2026-04-09","end":"2026-04-10"}""")
                .then().statusCode(200)
                .body("inRange", equalTo(24)).body("first", equalTo("2026-04-09T00"))
                .body("last", equalTo("2026-04-09T23"));
    }

    @Test
    void jobs_areTheWindowJobBeans_withTheirHistory() {
        Response api = invoke("""
                {"action":"plan","job":"api_daily_snapshot","start":"2026-04-09","end":"2026-04-16"}""");

        api.then().statusCode(200).body("inRange", equalTo(7)).body("toRun", equalTo(0));
        assertThat(api.jsonPath().<String, Integer>getMap("skipped")).hasSize(1).allSatisfy((reason, count) -> {
            assertThat(reason).startsWith("not served (the upstream serves days since ");
            assertThat(count).isEqualTo(7);
        });
        assertThat(api.jsonPath().getList("windows")).isEmpty();
        assertThat(servers.depth(LocalAwsResource.queueUrl())).isZero();
    }

    @Test
    void status_cancel_retry_runs_throughTheHandler() {
        String runId = invoke("""
                {"action":"backfill","job":"daily_event_counts","start":"2026-05-01","end":"2026-05-04"}""")
                .jsonPath().getString("runId");
        servers.receiveAll(LocalAwsResource.queueUrl());

        invoke("{\"action\":\"status\",\"runId\":\"" + runId + "\"}").then().statusCode(200)
                .body("state", equalTo("queued")).body("counts.queued", equalTo(3)).body("windows", equalTo(3));
        invoke("{\"action\":\"cancel\",\"runId\":\"" + runId + "\"}").then().statusCode(200)
                .body("cancelled", equalTo(true)).body("pending", equalTo(3));
        invoke("{\"action\":\"status\",\"runId\":\"" + runId + "\"}").then().statusCode(200)
                .body("state", equalTo("cancelled")).body("cancelRequested", equalTo(true));
        invoke("{\"action\":\"runs\",\"limit\":1}").then().statusCode(200)
                .body("runs[0].runId", equalTo(runId));
        invoke("{\"action\":\"retry\",\"runId\":\"" + runId + "\"}").then().statusCode(200)
                .body("enqueued", equalTo(0));
    }

    @Test
    void watermark_setAndRead_thenAScheduledFiringDeliveredTwiceMakesOneRun() {
        invoke("""
                {"action":"watermark","job":"daily_event_counts","set":"2026-11-20"}""").then().statusCode(200)
                .body("day", equalTo("2026-11-20"));

        String first = invoke("{\"scheduledTime\":\"2026-11-23T06:00:00Z\"}").then().statusCode(200)
                .body("windows", equalTo(2)).body("first", equalTo("2026-11-21")).body("last", equalTo("2026-11-22"))
                .extract().path("runId");
        invoke("{\"scheduledTime\":\"2026-11-23T06:00:00Z\"}").then().statusCode(200)
                .body("runId", equalTo(first)).body("replayed", equalTo(true));

        assertThat(servers.receiveAll(LocalAwsResource.queueUrl())).hasSize(2);
        invoke("""
                {"action":"watermark","job":"daily_event_counts"}""").then().statusCode(200)
                .body("day", equalTo("2026-11-22"));
    }

    @Test
    void redrive_withAnEmptyDeadLetterQueue_movesNothing() {
        invoke("{\"action\":\"redrive\"}").then().statusCode(200)
                .body("messages", equalTo(0)).body("method", equalTo("none needed"));
    }

    @Test
    void scheduledEvent_dispatchesTheDayBeforeTheScheduledTime() {
        invoke("""
                {"action":"watermark","job":"daily_event_counts","set":"2026-11-23"}""").then().statusCode(200);

        Response response = invoke("{\"scheduledTime\":\"2026-11-25T02:00:00Z\"}");

        response.then().statusCode(200).body("windows", equalTo(1))
                .body("first", equalTo("2026-11-24")).body("last", equalTo("2026-11-24"));
        List<Message> messages = servers.receiveAll(LocalAwsResource.queueUrl());
        assertThat(messages).hasSize(1);
        assertThat(WindowMessage.parse(messages.get(0).body()).window().start())
                .hasToString("2026-11-24T00:00:00Z");
    }

    @Test
    void audit_ofTheExampleJob_scoresFour_onAScratchCopyItRemoves() {
        DemoEventGenerator.standard().writeDays(new S3ObjectStore(servers.s3(), LocalAwsResource.bucket()),
                LocalDate.of(2026, 3, 8), LocalDate.of(2026, 3, 12));
        List<String> tablesBefore = keys("tables/");

        invoke("""
                {"action":"audit","job":"daily_event_counts","day":"2026-03-10"}""").then().statusCode(200)
                .body("score", equalTo(4)).body("questions.passed", equalTo(List.of(true, true, true, true)))
                .body("questions[2].evidence", startsWith("2026-03-10: 1 input object(s)"));
        assertThat(keys("tables/")).isEqualTo(tablesBefore);
        assertThat(keys("_backfill/audit/")).isEmpty();
    }

    @Test
    void read_asOfAnInstantBetweenTwoCommits_andNow_throughTheHandler() {
        TableWrites table = new TableWrites(servers.s3(), LocalAwsResource.bucket());
        table.commit("2026-03-02", "run-buggy", 442);
        Instant between = Instant.now();
        table.commit("2026-03-02", "run-fixed", 329);

        invoke("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-03-02\",\"asOf\":\""
                + between + "\"}").then().statusCode(200)
                .body("asOf", equalTo(between.toString())).body("partitions[0].runId", equalTo("run-buggy"))
                .body("records[0].events", equalTo(442)).body("objects", nullValue());
        invoke("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-03-02\"}").then()
                .statusCode(200)
                .body("partitions[0].runId", equalTo("run-fixed")).body("records[0].events", equalTo(329));
    }

    @Test
    void read_overTheRowLimit_answersThePartsWithSignedUrlsThatServeThem() {
        TableWrites table = new TableWrites(servers.s3(), LocalAwsResource.bucket());
        table.commitRows("2026-03-05", "run-a", 4);
        table.commitRows("2026-03-06", "run-a", 4);

        Response response = invoke("{\"action\":\"read\",\"table\":\"daily_event_counts\","
                + "\"start\":\"2026-03-05\",\"end\":\"2026-03-07\"}");

        response.then().statusCode(200).body("rows", equalTo(8)).body("rowLimit", equalTo(6))
                .body("records", nullValue()).body("objects.size()", equalTo(2));
        String url = response.jsonPath().getString("objects[0].url");
        assertThat(url).startsWith(servers.s3Endpoint());
        byte[] part = given().urlEncodingEnabled(false).when().get(URI.create(url)).then().statusCode(200)
                .extract().asByteArray();
        assertThat(Gzip.lines(part)).hasSize(4);
    }

    @Test
    void diff_andReport_throughTheHandler_writeTheReportWhereItsSignedUrlServesIt() {
        String runId = invoke("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-03-10\","
                + "\"end\":\"2026-03-12\"}").jsonPath().getString("runId");
        servers.receiveAll(LocalAwsResource.queueUrl());
        TableWrites table = new TableWrites(servers.s3(), LocalAwsResource.bucket());
        table.commit("2026-03-10", runId, 300);
        table.commit("2026-03-11", runId, 200);

        invoke("{\"action\":\"diff\",\"table\":\"daily_event_counts\",\"start\":\"2026-03-10\","
                + "\"end\":\"2026-03-12\",\"before\":\"" + Instant.now().minusSeconds(3600) + "\",\"after\":\"now\"}")
                .then().statusCode(200)
                .body("appeared", contains("2026-03-10", "2026-03-11"))
                .body("totals.events.after", equalTo(500)).body("totals.events.before", nullValue());
        Response report = invoke("{\"action\":\"report\",\"runId\":\"" + runId + "\"}");
        report.then().statusCode(200).body("html.key", equalTo("_backfill/runs/" + runId + "/report.html"))
                .body("totals.events.delta", equalTo(500)).body("appeared.size()", equalTo(2));
        String html = given().urlEncodingEnabled(false).when()
                .get(URI.create(report.jsonPath().getString("html.url"))).then().statusCode(200).extract().asString();
        assertThat(html).contains("<svg class=\"chart\"", runId).doesNotContain("http");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            reversed range | {"action":"backfill","job":"daily_event_counts","start":"2026-04-30","end":"2026-04-01"} | Cannot split range: end 2026-04-01 is not after start 2026-04-30 (end is exclusive)
            malformed date | {"action":"backfill","job":"daily_event_counts","start":"2026-02-30","end":"2026-03-01"} | Malformed start date '2026-02-30' (expected yyyy-MM-dd)
            unknown job    | {"action":"backfill","job":"daily_evnt_counts","start":"2026-04-09","end":"2026-04-30"}  | ~Unknown job 'daily_evnt_counts'; known jobs: [api_daily_snapshot, daily_event_counts
            unknown action | {"action":"backfil","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-30"}  | Unknown action 'backfil'; supported: [audit, backfill, cancel, diff, discard, plan, publish, read, redrive, report, retry, runs, status, watermark]
            unknown field  | {"action":"backfill","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-30","orderr":"newest"} | Unknown field(s) [orderr] for action 'backfill'; allowed: [action, end, idempotencyKey, inputsAsOf, job, order, publish, reprocess, start]
            unknown run    | {"action":"status","runId":"20260101T000000Z-000000"} | Unknown runId '20260101T000000Z-000000'
            bad run id     | {"action":"cancel","runId":"a/../b"} | Malformed runId 'a/../b' (expected a run id such as 20261125T144019Z-3d187b)
            bad limit      | {"action":"runs","limit":"ten"} | Field 'limit' must be a whole number from 1 to 100, not ten
            bad watermark  | {"action":"watermark","job":"daily_event_counts","set":"2026-13-01"} | Malformed set date '2026-13-01' (expected yyyy-MM-dd)
            too many days  | {"action":"backfill","job":"daily_event_counts","start":"2000-01-01","end":"2026-01-01"} | Cannot split range 2000-01-01 .. 2026-01-01: 9497 windows exceed the maximum of 3660
            audit today    | {"action":"audit","job":"daily_event_counts","day":"2999-01-01"} | Cannot audit day 2999-01-01: the audit also runs the day after it, and both must have ended; at most %s (in UTC)
            read expired   | {"action":"read","table":"daily_event_counts","day":"2026-04-09","asOf":"2000-01-01T00:00:00Z"} | ~history before
            diff staged    | {"action":"diff","table":"daily_event_counts","start":"2026-04-09","end":"2026-04-10","before":"staged:x/y","after":"now"} | Malformed before 'staged:x/y' (expected an ISO instant such as 2026-11-25T02:00:00Z, now, or staged:<runId>)
            report unknown | {"action":"report","runId":"20260101T000000Z-000000"} | Unknown runId '20260101T000000Z-000000'
            bad schedule   | {"scheduledTime":"yesterday"} | Malformed scheduledTime 'yesterday' (expected an ISO instant such as 2026-11-25T02:00:00Z)
            """)
    void badRequest_isRefusedWithAClearMessage_andSendsAndWritesNothing(String name, String request, String error) {
        ListObjectVersionsResponse before = versions();

        Response response = invoke(request);

        response.then().statusCode(500)
                .body("errorType", equalTo("dev.backfill.InvalidRequestException"))
                .body("errorMessage", error.startsWith("~") ? containsString(error.substring(1))
                        : equalTo(error.formatted(LocalDate.now(ZoneOffset.UTC).minusDays(2))));
        assertThat(servers.depth(LocalAwsResource.queueUrl())).isZero();
        assertThat(versions().versions()).isEqualTo(before.versions());
    }

    static Response invoke(String json) {
        Response response = given().contentType("application/json").accept("application/json").body(json).when()
                .post(LocalAwsResource.eventServerUrl());
        FunctionProcess.assertAlive();
        return response;
    }

    private List<String> keys(String prefix) {
        return servers.s3().listObjectsV2Paginator(r -> r.bucket(LocalAwsResource.bucket()).prefix(prefix))
                .contents().stream().map(o -> o.key()).toList();
    }

    private ListObjectVersionsResponse versions() {
        return servers.s3().listObjectVersions(r -> r.bucket(LocalAwsResource.bucket()));
    }
}
