package dev.backfill.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.dispatch.WindowMessage;
import dev.backfill.local.config.LocalNames;
import dev.backfill.testing.FaultyHttpClient;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * SendMessageBatch's entry-level failures and whole-request faults, through the real SDK against ElasticMQ: the first
 * SendMessageBatch requests are answered at the HTTP layer as SQS answers them (SQS API Reference, SendMessageBatch:
 * each entry succeeds or fails on its own, {@code SenderFault} telling whose fault), so the SDK parses them, and the
 * retries reach the embedded queue for real.
 */
class SqsWindowQueueOverHttpTest {

    private static final int MAX_ATTEMPTS = 3;

    private final LocalServers servers = LocalServers.get();
    private final String queueUrl = servers.newQueue("send-faults");
    private final List<WindowMessage> messages = IntStream.range(0, 3)
            .mapToObj(day -> WindowMessage.of("run-a", "daily_event_counts",
                    Window.day(LocalDate.of(2026, 4, 9).plusDays(day), ZoneOffset.UTC), 1))
            .toList();
    /** SendMessageBatch requests made, faulted or not. */
    private final AtomicInteger sends = new AtomicInteger();
    private SqsClient sqs;

    @AfterEach
    void close() {
        if (sqs != null) {
            sqs.close();
        }
    }

    @Test
    void send_senderFaultEntryIsGivenUp_whileTheOtherFailedEntriesAreRetried_andLandOnce() {
        FaultyHttpClient http = http(firstSendMessageBatches(1), batchResult(
                failed("0", false, "InternalError"), failed("1", true, "InvalidMessageContents"),
                failed("2", false, "ServiceUnavailable")));
        SqsWindowQueue queue = queue(http);

        List<WindowMessage> unsent = queue.send(messages);

        assertThat(unsent).containsExactly(messages.get(1));
        assertThat(sends).as("SendMessageBatch requests").hasValue(2);
        assertThat(servers.receiveAll(queueUrl)).extracting(Message::body)
                .containsExactlyInAnyOrder(messages.get(0).toJson(), messages.get(2).toJson());
    }

    @Test
    void send_entriesFailingOnEveryAttempt_areReturnedUnsent_afterMaxAttempts_andNoMore() {
        FaultyHttpClient http = http(firstSendMessageBatches(MAX_ATTEMPTS), batchResult(
                failed("0", false, "InternalError"), failed("1", false, "InternalError"),
                failed("2", false, "InternalError")));
        SqsWindowQueue queue = queue(http);

        List<WindowMessage> unsent = queue.send(messages);

        assertThat(unsent).containsExactlyInAnyOrderElementsOf(messages);
        assertThat(sends).as("SendMessageBatch requests").hasValue(MAX_ATTEMPTS);
        assertThat(http.injected()).isEqualTo(MAX_ATTEMPTS);
        assertThat(servers.receiveAll(queueUrl)).isEmpty();
    }

    @Test
    void send_aWholeRequestRefusedAsTheSendersFault_countsAsOneAttempt_andTheNextOneSendsAll() {
        FaultyHttpClient http = http(firstSendMessageBatches(1), new FaultyHttpClient.Fault(400,
                "application/x-amz-json-1.0", "{\"__type\":\"com.amazonaws.sqs#InvalidParameterValue\","
                + "\"message\":\"injected by the test\"}"));
        SqsWindowQueue queue = queue(http);

        List<WindowMessage> unsent = queue.send(messages);

        assertThat(unsent).isEmpty();
        assertThat(sends).as("a 400 is not retried by the SDK: one injected, one real").hasValue(2);
        assertThat(servers.receiveAll(queueUrl)).extracting(Message::body)
                .containsExactlyInAnyOrderElementsOf(messages.stream().map(WindowMessage::toJson).toList());
    }

    @Test
    void send_throttled_isRetriedByTheSdk_andEveryMessageLandsOnce() {
        FaultyHttpClient http = http(firstSendMessageBatches(1), FaultyHttpClient.SQS_THROTTLED);
        SqsWindowQueue queue = queue(http);

        List<WindowMessage> unsent = queue.send(messages);

        assertThat(unsent).isEmpty();
        assertThat(http.injected()).isEqualTo(1);
        assertThat(servers.receiveAll(queueUrl)).extracting(Message::body)
                .containsExactlyInAnyOrderElementsOf(messages.stream().map(WindowMessage::toJson).toList());
    }

    /** SendMessageBatch requests, the first {@code count} faulted, the rest passed on; all counted in sends. */
    private Predicate<SdkHttpRequest> firstSendMessageBatches(int count) {
        Predicate<SdkHttpRequest> send = FaultyHttpClient.sqsAction("SendMessageBatch");
        return request -> send.test(request) && sends.incrementAndGet() <= count;
    }

    private static String failed(String id, boolean senderFault, String code) {
        return "{\"Id\":\"" + id + "\",\"SenderFault\":" + senderFault + ",\"Code\":\"" + code
                + "\",\"Message\":\"injected by the test\"}";
    }

    /** A 200 SendMessageBatch answer in SQS's JSON protocol with these failed entries and none successful. */
    private static FaultyHttpClient.Fault batchResult(String... failed) {
        return new FaultyHttpClient.Fault(200, "application/x-amz-json-1.0",
                "{\"Successful\":[],\"Failed\":[" + String.join(",", failed) + "]}");
    }

    private FaultyHttpClient http(Predicate<SdkHttpRequest> which, FaultyHttpClient.Fault fault) {
        return new FaultyHttpClient(UrlConnectionHttpClient.create(), which, 1.0, fault, 1);
    }

    private SqsWindowQueue queue(FaultyHttpClient http) {
        sqs = SqsClient.builder().endpointOverride(URI.create(servers.sqsEndpoint()))
                .region(Region.of(LocalNames.REGION)).httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalNames.ACCESS_KEY, LocalNames.SECRET_KEY))).build();
        return new SqsWindowQueue(sqs, queueUrl, Optional.empty(), Runnable::run, MAX_ATTEMPTS);
    }
}
