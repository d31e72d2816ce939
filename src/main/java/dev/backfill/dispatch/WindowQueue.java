package dev.backfill.dispatch;

import java.time.Duration;
import java.util.List;

/** The work queue between the dispatcher and the workers. */
public interface WindowQueue {

    /**
     * Sends one message per window, in list order as far as the queue keeps order, retrying entries the queue
     * refused for reasons that may pass.
     *
     * @return the messages that could not be sent, empty when all were; never partially unknown
     */
    List<WindowMessage> send(List<WindowMessage> messages);

    /**
     * Makes a received message visible again after {@code delay}, instead of after the queue's full visibility
     * timeout: the back-off of a retryable failure. Zero makes it visible at once.
     */
    void retryAfter(String receiptHandle, Duration delay);
}
