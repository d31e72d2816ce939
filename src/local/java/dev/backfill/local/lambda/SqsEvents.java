package dev.backfill.local.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backfill.Json;
import dev.backfill.local.config.LocalNames;
import java.io.IOException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The SQS event Lambda passes to a function (Lambda Developer Guide, "Using Lambda with Amazon SQS", example event)
 * and the partial batch response it reads back.
 */
final class SqsEvents {

    private static final ObjectMapper MAPPER = Json.mapper();

    private SqsEvents() {
    }

    /** {@code {"Records":[...]}} for {@code messages} received from the queue {@code queueArn}. */
    static byte[] of(List<Message> messages, String queueArn) {
        ObjectNode event = MAPPER.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributesAsStrings().forEach(attributes::put);
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            message.messageAttributes().forEach((name, value) -> messageAttributes.set(name, attribute(value)));
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", LocalNames.REGION);
        }
        return Json.write(event);
    }

    private static ObjectNode attribute(MessageAttributeValue value) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("stringValue", value.stringValue());
        node.put("binaryValue", value.binaryValue() == null ? null
                : Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
        node.putArray("stringListValues");
        node.putArray("binaryListValues");
        node.put("dataType", value.dataType());
        return node;
    }

    /**
     * The ids of the messages the function reported as failed in {@code {"batchItemFailures":[{"itemIdentifier":..}]}}.
     * As Lambda does, a response that is not such a document, or names a message not in the batch, fails the whole
     * batch; an empty or missing response is a full success.
     */
    static Set<String> failedIds(byte[] response, List<Message> batch) {
        Set<String> all = batch.stream().map(Message::messageId).collect(Collectors.toSet());
        if (response == null || response.length == 0) {
            return Set.of();
        }
        try {
            JsonNode root = MAPPER.readTree(response);
            if (root == null || root.isNull()) {
                return Set.of();
            }
            JsonNode failures = root.path("batchItemFailures");
            if (failures.isMissingNode() || failures.isNull()) {
                return Set.of();
            }
            if (!failures.isArray()) {
                return all;
            }
            Set<String> failed = new HashSet<>();
            for (JsonNode failure : failures) {
                String id = failure.path("itemIdentifier").asText("");
                if (!all.contains(id)) {
                    return all;
                }
                failed.add(id);
            }
            return failed;
        } catch (IOException e) {
            return all;
        }
    }
}
