package dev.backfill.aws;

import dev.backfill.BackfillException;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.dispatch.WindowQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;
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
    /** The message attribute that says why a message was sent to the dead-letter queue. */
    public static final String REASON = "reason";

    private final SqsClient sqs;
    private final String queueUrl;
    private final Optional<String> deadLetterQueueUrl;
    private final Executor executor;
    private final int maxAttempts;

    /**
     * @param deadLetterQueueUrl the queue {@link #redrive} moves messages from
     * @param executor           runs batches concurrently; its size is how many batches are in flight
     */
    public SqsWindowQueue(SqsClient sqs, String queueUrl, Optional<String> deadLetterQueueUrl, Executor executor,
                          int maxAttempts) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.deadLetterQueueUrl = Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl");
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

    /**
     * Sends one batch; returns the messages still unsent after every attempt. An entry SQS refuses as the sender's
     * fault is given up at once; the batch's other failed entries are still retried.
     */
    private List<WindowMessage> sendBatch(List<WindowMessage> batch) {
        List<WindowMessage> pending = batch;
        List<WindowMessage> refused = new ArrayList<>();
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
                failed.stream().filter(BatchResultErrorEntry::senderFault).forEach(f -> {
                    LOG.errorf("SQS refused a message as the sender's fault: %s", f.code());
                    refused.add(byId.get(f.id()));
                });
                pending = failed.stream().filter(f -> !f.senderFault()).map(f -> byId.get(f.id())).toList();
            } catch (SdkException e) {
                // The SDK already retried throttling and 5xx; count this as one failed attempt of the whole batch.
                // Its outcome is unknown: some entries may be on the queue, and sending them again is harmless.
                LOG.warnf("SendMessageBatch attempt %d of %d failed: %s", attempt, maxAttempts, e.getMessage());
            }
        }
        refused.addAll(pending);
        return refused;
    }

    @Override
    public boolean deadLetter(String body, String reason) {
        if (deadLetterQueueUrl.isEmpty()) {
            return false;
        }
        // A message attribute value is a string of at most 256 KB with the body; keep the reason short.
        String shown = reason.length() > 1_000 ? reason.substring(0, 1_000) + "…" : reason;
        try {
            sqs.sendMessage(r -> r.queueUrl(deadLetterQueueUrl.get()).messageBody(body)
                    .messageAttributes(Map.of(REASON, MessageAttributeValue.builder().dataType("String")
                            .stringValue(shown).build())));
            return true;
        } catch (SdkException e) {
            LOG.warnf("Cannot send a failed message to the dead-letter queue: %s", e.getMessage());
            return false;
        }
    }

    @Override
    public Redrive redrive() {
        String dlq = deadLetterQueueUrl.orElseThrow(() -> new BackfillException(
                "No dead-letter queue configured (BACKFILL_DLQ_URL): nothing to redrive"));
        long waiting = Long.parseLong(attributes(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
        if (waiting == 0) {
            return new Redrive(0, "none needed", null);
        }
        try {
            String handle = sqs.startMessageMoveTask(r -> r.sourceArn(arn(dlq)).destinationArn(arn(queueUrl)))
                    .taskHandle();
            return new Redrive(waiting, "StartMessageMoveTask", handle);
        } catch (SqsException e) {
            if (e.statusCode() != 400 || e.awsErrorDetails() == null
                    || !String.valueOf(e.awsErrorDetails().errorCode()).matches("(?i).*(unsupported|invalidaction).*")) {
                throw e;
            }
            LOG.infof("The SQS endpoint has no StartMessageMoveTask (%s): moving messages one batch at a time",
                    e.awsErrorDetails().errorCode());
            return new Redrive(moveByHand(dlq), "receive-send-delete", null);
        }
    }

    /** Receives, sends on and deletes until the dead-letter queue answers empty twice; returns how many moved. */
    private long moveByHand(String dlq) {
        long moved = 0;
        for (int empty = 0; empty < 2; ) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(dlq).maxNumberOfMessages(BATCH)
                    .waitTimeSeconds(0).visibilityTimeout(60)).messages();
            if (batch.isEmpty()) {
                empty++;
                continue;
            }
            List<SendMessageBatchRequestEntry> entries = IntStream.range(0, batch.size())
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id(String.valueOf(i))
                            .messageBody(batch.get(i).body()).build())
                    .toList();
            SendMessageBatchResponse sent = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            List<DeleteMessageBatchRequestEntry> deletes = sent.successful().stream()
                    .map(ok -> DeleteMessageBatchRequestEntry.builder().id(ok.id())
                            .receiptHandle(batch.get(Integer.parseInt(ok.id())).receiptHandle()).build())
                    .toList();
            if (!deletes.isEmpty()) {
                sqs.deleteMessageBatch(r -> r.queueUrl(dlq).entries(deletes));
            }
            moved += deletes.size();
        }
        return moved;
    }

    private String arn(String url) {
        return attributes(url, QueueAttributeName.QUEUE_ARN).get(QueueAttributeName.QUEUE_ARN);
    }

    private Map<QueueAttributeName, String> attributes(String url, QueueAttributeName name) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(name)).attributes();
    }

    @Override
    public void retryAfter(String receiptHandle, Duration delay) {
        long seconds = Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, delay.toSeconds()));
        sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle)
                .visibilityTimeout((int) seconds));
    }
}
