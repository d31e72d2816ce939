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

    /**
     * Sends a message that can never succeed straight to the dead-letter queue, with {@code reason} as its
     * {@code reason} message attribute, so it is not delivered again and again until {@code maxReceiveCount}. The
     * caller then lets the work queue delete the original (it reports it processed).
     *
     * @return false when there is no dead-letter queue or the send failed: the caller falls back to redelivery
     */
    boolean deadLetter(String body, String reason);

    /**
     * Moves every message of the dead-letter queue back to the work queue: with the queue service's own
     * asynchronous move task where it has one (it then goes on after this returns), else by receiving, sending and
     * deleting them here. Moved messages get new message ids and their receive counts start again at 1.
     *
     * @throws dev.backfill.BackfillException if no dead-letter queue is configured
     */
    Redrive redrive();

    /**
     * @param messages   messages on the dead-letter queue when the move started (approximate with a move task)
     * @param method     {@code StartMessageMoveTask}, or {@code receive-send-delete}
     * @param taskHandle the move task's handle, to follow it with ListMessageMoveTasks; null without a task
     */
    record Redrive(long messages, String method, String taskHandle) {
    }
}
