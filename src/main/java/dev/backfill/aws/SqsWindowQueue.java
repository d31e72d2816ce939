package dev.backfill.aws;

import dev.backfill.dispatch.WindowMessage;
import dev.backfill.dispatch.WindowQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link WindowQueue} on one SQS queue. Sends SendMessageBatch requests of 10 entries, several in flight at once, and
 * checks every entry's result: entries SQS failed without blaming the sender are sent again, up to
 * {@code maxAttempts} times in all.
 */
public final class SqsWindowQueue implements WindowQueue {

    /** SendMessageBatch takes at most 10 entries (SQS API Reference, SendMessageBatch). */
    static final int BATCH = 10;
    /** ChangeMessageVisibility accepts 0 to 43,200 seconds (12 hours). */
    private static final long MAX_VISIBILITY_SECONDS = 43_200;
    private static final Logger LOG = Logger.getLogger(SqsWindowQueue.class);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Executor executor;
    private final int maxAttempts;

    /** @param executor runs batches concurrently; its size is how many batches are in flight */
    public SqsWindowQueue(SqsClient sqs, String queueUrl, Executor executor, int maxAttempts) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.executor = Objects.requireNonNull(executor, "executor");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    @Override
    public List<WindowMessage> send(List<WindowMessage> messages) {
        List<CompletableFuture<List<WindowMessage>>> batches = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += BATCH) {
            List<WindowMessage> batch = messages.subList(from, Math.min(messages.size(), from + BATCH));
            batches.add(CompletableFuture.supplyAsync(() -> sendBatch(batch), executor));
        }
        return batches.stream().flatMap(batch -> batch.join().stream()).toList();
    }

    /** Sends one batch; returns the messages still unsent after every attempt. */
    private List<WindowMessage> sendBatch(List<WindowMessage> batch) {
        List<WindowMessage> pending = batch;
        for (int attempt = 1; attempt <= maxAttempts && !pending.isEmpty(); attempt++) {
            Map<String, WindowMessage> byId = IntStream.range(0, pending.size()).boxed()
                    .collect(Collectors.toMap(String::valueOf, pending::get));
            List<SendMessageBatchRequestEntry> entries = byId.entrySet().stream()
                    .map(e -> SendMessageBatchRequestEntry.builder().id(e.getKey()).messageBody(e.getValue().toJson())
                            .build())
                    .toList();
            try {
                SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                List<BatchResultErrorEntry> failed = response.failed();
                if (failed.stream().anyMatch(BatchResultErrorEntry::senderFault)) {
                    LOG.errorf("SQS refused %d message(s) as the sender's fault, first: %s", failed.size(),
                            failed.get(0).code());
                    return failed.stream().map(f -> byId.get(f.id())).toList();
                }
                pending = failed.stream().map(f -> byId.get(f.id())).toList();
            } catch (SdkException e) {
                // The SDK already retried throttling and 5xx; count this as one failed attempt of the whole batch.
                LOG.warnf("SendMessageBatch attempt %d of %d failed: %s", attempt, maxAttempts, e.getMessage());
            }
        }
        return pending;
    }

    @Override
    public void retryAfter(String receiptHandle, Duration delay) {
        long seconds = Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, delay.toSeconds()));
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle)
                .visibilityTimeout((int) seconds));
    }
}
