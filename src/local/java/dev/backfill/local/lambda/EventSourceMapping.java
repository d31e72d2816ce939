package dev.backfill.local.lambda;

import dev.backfill.local.config.LocalStackConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, with {@code ReportBatchItemFailures}: long-polls the queue, invokes the
 * function with an SQS event of at most {@code batchSize} messages, deletes the messages that succeeded and leaves the
 * reported failures (or the whole batch, on a function error) to their visibility timeout and the queue's redrive
 * policy. Never more than {@code maximumConcurrency} invocations are in flight (ScalingConfig.MaximumConcurrency):
 * that many invokers take batches as the poller receives them. As Lambda's pollers do, the poller receives ahead
 * (at most one batch per invoker waits), so an invoker that is done starts its next batch at once; and deleting is the
 * mapping's work, not the function's: it happens after the invoker moved on.
 */
public final class EventSourceMapping implements AutoCloseable {

    /**
     * Seconds of one long poll. Lambda's pollers wait 20 s, the most ReceiveMessage allows; a shorter wait lets the
     * stack stop within seconds, as an SQS server does not stop while a receive is waiting.
     */
    private static final int LONG_POLL_SECONDS = 2;
    /** ReceiveMessage returns at most 10 messages. */
    private static final int MAX_RECEIVE = 10;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final Invocable function;
    private final int batchSize;
    /** Batches received and not yet taken by an invoker; {@link #room} keeps it to one per invoker. */
    private final BlockingQueue<List<Message>> received = new LinkedBlockingQueue<>();
    private final Semaphore room;
    private final ExecutorService invokers;
    private final ExecutorService deleters;
    private final Thread poller;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong invocations = new AtomicLong();
    private volatile boolean running = true;

    private EventSourceMapping(SqsClient sqs, String queueUrl, String queueArn, Invocable function,
                               int batchSize, int maximumConcurrency) {
        if (batchSize < 1 || batchSize > MAX_RECEIVE) {
            throw new IllegalArgumentException("Batch size must be 1 to " + MAX_RECEIVE + " here, got " + batchSize);
        }
        if (maximumConcurrency < LocalStackConfig.MIN_CONCURRENCY
                || maximumConcurrency > LocalStackConfig.MAX_CONCURRENCY) {
            throw new IllegalArgumentException("MaximumConcurrency must be between 2 and 1000, got "
                    + maximumConcurrency);
        }
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.function = function;
        this.batchSize = batchSize;
        this.room = new Semaphore(maximumConcurrency);
        this.invokers = Executors.newFixedThreadPool(maximumConcurrency, daemon(function.name() + "-esm-invoke"));
        this.deleters = Executors.newCachedThreadPool(daemon(function.name() + "-esm-delete"));
        this.poller = daemon(function.name() + "-esm-poll").newThread(this::poll);
        for (int i = 0; i < maximumConcurrency; i++) {
            invokers.execute(this::invokeReceived);
        }
    }

    /** Starts polling {@code queueUrl} for {@code function}. */
    public static EventSourceMapping start(SqsClient sqs, String queueUrl, String queueArn, Invocable function,
                                           int batchSize, int maximumConcurrency) {
        EventSourceMapping mapping = new EventSourceMapping(sqs, queueUrl, queueArn, function, batchSize,
                maximumConcurrency);
        mapping.poller.start();
        return mapping;
    }

    /** Invocations in flight now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most invocations that were in flight at once. */
    public int peakConcurrency() {
        return peak.get();
    }

    public void resetPeak() {
        peak.set(inFlight.get());
    }

    public long invocations() {
        return invocations.get();
    }

    private void poll() {
        while (running) {
            int permits = 0;
            try {
                room.acquire();
                permits = 1 + drainUpTo(MAX_RECEIVE / batchSize - 1);
                List<List<Message>> batches = batches(receive(permits * batchSize));
                room.release(permits - batches.size());
                permits = 0;
                received.addAll(batches);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SdkException | IllegalStateException e) {
                room.release(permits);
                pauseAfter(e);
            }
        }
    }

    private int drainUpTo(int extra) {
        int taken = 0;
        while (taken < extra && room.tryAcquire()) {
            taken++;
        }
        return taken;
    }

    private List<Message> receive(int max) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(max)
                .waitTimeSeconds(LONG_POLL_SECONDS)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
    }

    private List<List<Message>> batches(List<Message> messages) {
        List<List<Message>> batches = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += batchSize) {
            batches.add(messages.subList(from, Math.min(messages.size(), from + batchSize)));
        }
        return batches;
    }

    /** One invoker: takes the next received batch, invokes the function with it, and so on until closed. */
    private void invokeReceived() {
        try {
            while (running) {
                List<Message> batch = received.take();
                room.release();
                invoke(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void invoke(List<Message> batch) {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        invocations.incrementAndGet();
        try {
            InvocationResult result = function.invoke(SqsEvents.of(batch, queueArn));
            Set<String> failed = result.failed()
                    ? batch.stream().map(Message::messageId).collect(Collectors.toSet())
                    : SqsEvents.failedIds(result.payload(), batch);
            deleters.execute(() -> deleteAllBut(batch, failed));
        } catch (Exception e) {
            // As a function error: every message of the batch returns after its visibility timeout.
            if (running) {
                System.err.println("Event source mapping: invoking " + function.name() + " failed: " + e);
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Deletes the batch's messages but the failed; those, or all if this fails, return after their timeout. */
    private void deleteAllBut(List<Message> batch, Set<String> failed) {
        List<DeleteMessageBatchRequestEntry> entries = batch.stream()
                .filter(message -> !failed.contains(message.messageId()))
                .map(message -> DeleteMessageBatchRequestEntry.builder().id(message.messageId())
                        .receiptHandle(message.receiptHandle()).build())
                .toList();
        try {
            if (!entries.isEmpty()) {
                sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
            }
        } catch (SdkException e) {
            if (running) {
                System.err.println("Event source mapping: deleting processed messages failed: " + e);
            }
        }
    }

    private void pauseAfter(Exception e) {
        if (!running) {
            return;
        }
        System.err.println("Event source mapping: polling " + queueUrl + " failed, retrying in 1 s: " + e);
        try {
            Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Stops polling, waiting for the last receive to return; invocations in flight get a few seconds to finish, as
     * the stack is going away anyway. Batches received and not started return to the queue after their timeout.
     */
    @Override
    public void close() {
        running = false;
        poller.interrupt();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(LONG_POLL_SECONDS + 1));
            Waits.until(() -> inFlight.get() == 0, Duration.ofSeconds(5), () -> "invocations still running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // Stop them anyway.
        }
        invokers.shutdownNow();
        deleters.shutdown();
    }
}
