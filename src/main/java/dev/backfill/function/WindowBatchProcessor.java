package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.backfill.RetryableException;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.function.metrics.BackfillMetrics;
import dev.backfill.job.Deadline;
import dev.backfill.job.UpstreamMeter;
import dev.backfill.worker.Backoff;
import dev.backfill.worker.Deliveries;
import dev.backfill.worker.WindowOutcome;
import dev.backfill.worker.WindowWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Processes each message of an SQS batch on its own: a failed window is reported as a batch item failure and the
 * others still succeed. A retryable failure shortens the message's visibility to the back-off. A permanent one
 * (malformed message, unknown job, bad input data) can never succeed, so it goes straight to the DLQ with the reason
 * as its {@code reason} attribute and is reported processed, which deletes it from the work queue — instead of being
 * delivered, and its day re-read, {@code maxReceiveCount} times; if that send fails, it is made visible at once
 * instead. A committed window whose cleanup after the commit failed is reported failed while the queue has
 * deliveries left ({@link Deliveries}): its next delivery finds the window committed by its run and finishes the
 * cleanup without re-running the job; the last delivery is acknowledged, never sending a committed window to the DLQ.
 * Each delivery logs one line and emits one metrics document ({@link WindowObservation}).
 */
@ApplicationScoped
public class WindowBatchProcessor {

    /** The MDC key of the Lambda request id, on every line logged while an invocation runs. */
    static final String REQUEST_ID = "requestId";

    private static final Logger LOG = Logger.getLogger(WindowBatchProcessor.class);

    @Inject
    WindowWorker worker;

    @Inject
    WindowQueue queue;

    @Inject
    Backoff backoff;

    @Inject
    Deliveries deliveries;

    @Inject
    BackfillMetrics metrics;

    @Inject
    UpstreamMeter upstream;

    @Inject
    Clock clock;

    /** @param requestId the Lambda invocation's request id, on every log line and metrics document of the batch */
    public SQSBatchResponse process(SQSEvent event, String requestId) {
        return process(event, requestId, Deadline.none());
    }

    /** @param deadline when the invocation's jobs must stop waiting and give their window back */
    public SQSBatchResponse process(SQSEvent event, String requestId, Deadline deadline) {
        List<BatchItemFailure> failures = new ArrayList<>();
        List<SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        MDC.put(REQUEST_ID, requestId);
        try {
            for (SQSMessage record : records) {
                if (!processOne(record, requestId, deadline)) {
                    failures.add(new BatchItemFailure(record.getMessageId()));
                }
            }
        } finally {
            MDC.remove(REQUEST_ID);
        }
        return new SQSBatchResponse(failures);
    }

    private boolean processOne(SQSMessage record, String requestId, Deadline deadline) {
        int attempt = receiveCount(record);
        try (WindowObservation observation = new WindowObservation(metrics, clock, upstream, requestId,
                record.getMessageId(), attempt)) {
            try {
                WindowMessage message = WindowMessage.parse(record.getBody());
                observation.read(message);
                WindowOutcome outcome = worker.process(message, attempt, deadline);
                observation.finished(outcome);
                if (!outcome.cleanupPending()) {
                    return true;
                }
                if (!deliveries.anotherAfter(attempt)) {
                    observation.cleanupLeft(outcome);
                    return true;
                }
                Duration delay = backoff.after(attempt);
                observation.cleanupRetrying(outcome, delay);
                retryAfter(record, delay);
            } catch (RetryableException e) {
                Duration delay = backoff.after(attempt, e.retryAfter());
                observation.retrying(e, delay);
                retryAfter(record, delay);
            } catch (RuntimeException e) {
                observation.failed(e);
                if (queue.deadLetter(record.getBody(), e.getClass().getSimpleName() + ": " + e.getMessage())) {
                    return true;
                }
                retryAfter(record, Duration.ZERO);
            }
            return false;
        }
    }

    private void retryAfter(SQSMessage record, Duration delay) {
        try {
            queue.retryAfter(record.getReceiptHandle(), delay);
        } catch (RuntimeException e) {
            // The full visibility timeout then applies; the failure is still reported.
            LOG.warnf("Cannot change visibility of message %s: %s", record.getMessageId(), e.getMessage());
        }
    }

    private static int receiveCount(SQSMessage record) {
        Map<String, String> attributes = record.getAttributes();
        String count = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
