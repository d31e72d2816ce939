package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.backfill.RetryableException;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.worker.Backoff;
import dev.backfill.worker.WindowOutcome;
import dev.backfill.worker.WindowWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Processes each message of an SQS batch on its own: a failed window is reported as a batch item failure and the
 * others still succeed. A retryable failure shortens the message's visibility to the back-off; a permanent one
 * (malformed message, unknown job, bad input data) makes it visible at once, so it reaches the DLQ after
 * {@code maxReceiveCount} deliveries instead of after that many full visibility timeouts.
 */
@ApplicationScoped
public class WindowBatchProcessor {

    private static final Logger LOG = Logger.getLogger(WindowBatchProcessor.class);

    @Inject
    WindowWorker worker;

    @Inject
    WindowQueue queue;

    @Inject
    Backoff backoff;

    public SQSBatchResponse process(SQSEvent event) {
        List<BatchItemFailure> failures = new ArrayList<>();
        List<SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSMessage record : records) {
            if (!processOne(record)) {
                failures.add(new BatchItemFailure(record.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    private boolean processOne(SQSMessage record) {
        int attempt = receiveCount(record);
        try {
            WindowOutcome outcome = worker.process(WindowMessage.parse(record.getBody()), attempt);
            LOG.infof("Window %s: %s, %d rows, %d stale objects deleted (message %s, attempt %d)", outcome.label(),
                    outcome.result(), outcome.rows(), outcome.deletedObjects(), record.getMessageId(), attempt);
            return true;
        } catch (RetryableException e) {
            Duration delay = backoff.after(attempt);
            LOG.warnf("Message %s attempt %d failed, retrying in %ss: %s", record.getMessageId(), attempt,
                    delay.toSeconds(), e.getMessage());
            retryAfter(record, delay);
        } catch (RuntimeException e) {
            LOG.errorf("Message %s attempt %d failed permanently: %s", record.getMessageId(), attempt, e.getMessage());
            retryAfter(record, Duration.ZERO);
        }
        return false;
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
