package dev.backfill.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/** The SQS event the event source mapping sends, and how it reads partial batch responses. */
class SqsEventsTest {

    private static final String QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:backfill-work";
    private static final Message FIRST = message("m-1", "{\"v\":1}", "2");
    private static final Message SECOND = message("m-2", "{\"v\":1,\"n\":2}", "1");

    @Test
    void of_isLambdasSqsEvent_withTheAttributesTheWorkerReads() throws IOException {
        JsonNode event = Json.mapper().readTree(SqsEvents.of(List.of(FIRST, SECOND), QUEUE_ARN));

        assertThat(event.path("Records")).hasSize(2);
        JsonNode record = event.path("Records").get(0);
        assertThat(record.path("messageId").asText()).isEqualTo("m-1");
        assertThat(record.path("receiptHandle").asText()).isEqualTo("receipt-m-1");
        assertThat(record.path("body").asText()).isEqualTo("{\"v\":1}");
        assertThat(record.path("attributes").path("ApproximateReceiveCount").asText()).isEqualTo("2");
        assertThat(record.path("attributes").path("SentTimestamp").asText()).isEqualTo("1795614882000");
        assertThat(record.path("messageAttributes").path("trace").path("stringValue").asText()).isEqualTo("t-1");
        assertThat(record.path("messageAttributes").path("trace").path("dataType").asText()).isEqualTo("String");
        assertThat(record.path("md5OfBody").asText()).isEqualTo("md5");
        assertThat(record.path("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(record.path("eventSourceARN").asText()).isEqualTo(QUEUE_ARN);
        assertThat(record.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(event.path("Records").get(1).path("attributes").path("ApproximateReceiveCount").asText())
                .isEqualTo("1");
    }

    @Test
    void failedIds_ofReportedFailures_areJustThose() {
        byte[] response = "{\"batchItemFailures\":[{\"itemIdentifier\":\"m-2\"}]}".getBytes(StandardCharsets.UTF_8);

        assertThat(SqsEvents.failedIds(response, List.of(FIRST, SECOND))).containsExactly("m-2");
    }

    @Test
    void failedIds_ofAnEmptyOrNullResponse_isNone() {
        assertThat(SqsEvents.failedIds(new byte[0], List.of(FIRST))).isEmpty();
        assertThat(SqsEvents.failedIds("null".getBytes(StandardCharsets.UTF_8), List.of(FIRST))).isEmpty();
        assertThat(SqsEvents.failedIds("{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8),
                List.of(FIRST))).isEmpty();
    }

    @Test
    void failedIds_namingAMessageNotInTheBatch_orNotJson_failsTheWholeBatch() {
        Set<String> both = Set.of("m-1", "m-2");

        assertThat(SqsEvents.failedIds("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-9\"}]}"
                .getBytes(StandardCharsets.UTF_8), List.of(FIRST, SECOND))).isEqualTo(both);
        assertThat(SqsEvents.failedIds("{\"batchItemFailures\":[{\"itemIdentifier\":\"\"}]}"
                .getBytes(StandardCharsets.UTF_8), List.of(FIRST, SECOND))).isEqualTo(both);
        assertThat(SqsEvents.failedIds("not json".getBytes(StandardCharsets.UTF_8), List.of(FIRST, SECOND)))
                .isEqualTo(both);
    }

    private static Message message(String id, String body, String receiveCount) {
        return Message.builder().messageId(id).receiptHandle("receipt-" + id).body(body).md5OfBody("md5")
                .attributes(Map.of(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, receiveCount,
                        MessageSystemAttributeName.SENT_TIMESTAMP, "1795614882000"))
                .messageAttributes(Map.of("trace", MessageAttributeValue.builder().dataType("String")
                        .stringValue("t-1").build()))
                .build();
    }
}
