package dev.backfill.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.backfill.dispatch.WindowMessage;
import dev.backfill.testing.LocalAwsResource;
import dev.backfill.testing.LocalServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
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
                .contains("_backfill/runs/" + runId + "/run.json",
                        "_backfill/runs/" + runId + "/windows/2026-04-09.json")
                .hasSize(22);
    }

    @Test
    void scheduledEvent_dispatchesTheDayBeforeTheScheduledTime() {
        Response response = invoke("{\"scheduledTime\":\"2026-11-25T02:00:00Z\"}");

        response.then().statusCode(200).body("windows", equalTo(1))
                .body("first", equalTo("2026-11-24")).body("last", equalTo("2026-11-24"));
        List<Message> messages = servers.receiveAll(LocalAwsResource.queueUrl());
        assertThat(messages).hasSize(1);
        assertThat(WindowMessage.parse(messages.get(0).body()).window().start())
                .hasToString("2026-11-24T00:00:00Z");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            reversed range | {"action":"backfill","job":"daily_event_counts","start":"2026-04-30","end":"2026-04-01"} | Cannot split range: end 2026-04-01 is not after start 2026-04-30 (end is exclusive)
            malformed date | {"action":"backfill","job":"daily_event_counts","start":"2026-02-30","end":"2026-03-01"} | Malformed start date '2026-02-30' (expected yyyy-MM-dd)
            unknown job    | {"action":"backfill","job":"daily_evnt_counts","start":"2026-04-09","end":"2026-04-30"}  | Unknown job 'daily_evnt_counts'; known jobs: [daily_event_counts]
            unknown action | {"action":"backfil","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-30"}  | Unknown action 'backfil'; supported: [backfill]
            unknown field  | {"action":"backfill","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-30","order":"newest"} | Unknown field(s) [order] for action 'backfill'; allowed: [action, end, job, start]
            too many days  | {"action":"backfill","job":"daily_event_counts","start":"2000-01-01","end":"2026-01-01"} | Cannot split range 2000-01-01 .. 2026-01-01: 9497 windows exceed the maximum of 3660
            bad schedule   | {"scheduledTime":"yesterday"} | Malformed scheduledTime 'yesterday' (expected an ISO instant such as 2026-11-25T02:00:00Z)
            """)
    void badRequest_isRefusedWithAClearMessage_andSendsAndWritesNothing(String name, String request, String error) {
        ListObjectVersionsResponse before = versions();

        Response response = invoke(request);

        response.then().statusCode(500)
                .body("errorType", equalTo("dev.backfill.InvalidRequestException"))
                .body("errorMessage", equalTo(error));
        assertThat(servers.depth(LocalAwsResource.queueUrl())).isZero();
        assertThat(versions().versions()).isEqualTo(before.versions());
    }

    static Response invoke(String json) {
        return given().contentType("application/json").accept("application/json").body(json).when()
                .post(LocalAwsResource.eventServerUrl());
    }

    private List<String> keys(String prefix) {
        return servers.s3().listObjectsV2Paginator(r -> r.bucket(LocalAwsResource.bucket()).prefix(prefix))
                .contents().stream().map(o -> o.key()).toList();
    }

    private ListObjectVersionsResponse versions() {
        return servers.s3().listObjectVersions(r -> r.bucket(LocalAwsResource.bucket()));
    }
}
