package dev.backfill.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.dispatch.WindowMessage;
import dev.backfill.window.Window;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Entry-level failures of SendMessageBatch, which ElasticMQ never produces: a fault-injecting SQS client answers
 * as SQS does (SQS API Reference, SendMessageBatch: each entry succeeds or fails on its own, {@code SenderFault}
 * telling whose fault it was).
 */
class SqsWindowQueueTest {

    @Test
    void send_oneSenderFaultEntry_isGivenUp_whileTheBatchsOtherFailedEntryIsRetried() {
        ScriptedSqs sqs = new ScriptedSqs();
        SqsWindowQueue queue = new SqsWindowQueue(sqs, "https://sqs/q", Optional.empty(), Runnable::run, 3);
        List<WindowMessage> messages = IntStream.range(0, 3)
                .mapToObj(day -> WindowMessage.of("run-a", "daily_event_counts",
                        Window.day(LocalDate.of(2026, 4, 9).plusDays(day), ZoneOffset.UTC), 1))
                .toList();

        List<WindowMessage> unsent = queue.send(messages);

        assertThat(unsent).containsExactly(messages.get(0));
        assertThat(sqs.calls).hasSize(2);
        assertThat(sqs.calls.get(1)).extracting(SendMessageBatchRequestEntry::messageBody)
                .containsExactly(messages.get(1).toJson());
    }

    /** First call: entry 0 is the sender's fault, entry 1 an SQS-side failure, entry 2 sent; then all succeed. */
    private static final class ScriptedSqs implements SqsClient {

        final List<List<SendMessageBatchRequestEntry>> calls = new ArrayList<>();

        @Override
        public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
            calls.add(request.entries());
            List<SendMessageBatchResultEntry> ok = new ArrayList<>();
            List<BatchResultErrorEntry> failed = new ArrayList<>();
            for (int i = 0; i < request.entries().size(); i++) {
                String id = request.entries().get(i).id();
                if (calls.size() == 1 && i == 0) {
                    failed.add(BatchResultErrorEntry.builder().id(id).senderFault(true).code("InvalidMessageContents")
                            .build());
                } else if (calls.size() == 1 && i == 1) {
                    failed.add(BatchResultErrorEntry.builder().id(id).senderFault(false).code("InternalError")
                            .build());
                } else {
                    ok.add(SendMessageBatchResultEntry.builder().id(id).messageId("m-" + id).build());
                }
            }
            return SendMessageBatchResponse.builder().successful(ok).failed(failed).build();
        }

        @Override
        public String serviceName() {
            return "sqs";
        }

        @Override
        public void close() {
        }
    }
}
