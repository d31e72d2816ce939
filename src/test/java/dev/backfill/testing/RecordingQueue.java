package dev.backfill.testing;

import dev.backfill.dispatch.WindowMessage;
import dev.backfill.dispatch.WindowQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A {@link WindowQueue} that records what it is sent and refuses the windows it is told to. Thread-safe. */
public final class RecordingQueue implements WindowQueue {

    private final List<WindowMessage> sent = new ArrayList<>();
    private Set<String> refused = Set.of();
    private int sendCalls;

    /** From now on, refuses the messages of these windows (as SQS refuses entries). */
    public synchronized void refuse(String... labels) {
        refused = Set.of(labels);
    }

    public synchronized List<WindowMessage> sent() {
        return List.copyOf(sent);
    }

    public synchronized int sendCalls() {
        return sendCalls;
    }

    /** Forgets what was sent, as if the workers had consumed it. */
    public synchronized List<WindowMessage> drain() {
        List<WindowMessage> drained = List.copyOf(sent);
        sent.clear();
        return drained;
    }

    @Override
    public synchronized List<WindowMessage> send(List<WindowMessage> messages) {
        sendCalls++;
        List<WindowMessage> unsent = new ArrayList<>();
        for (WindowMessage message : messages) {
            (refused.contains(message.window().label()) ? unsent : sent).add(message);
        }
        return unsent;
    }

    @Override
    public void retryAfter(String receiptHandle, Duration delay) {
        throw new UnsupportedOperationException("The dispatcher never changes a message's visibility");
    }

    @Override
    public boolean deadLetter(String body, String reason) {
        throw new UnsupportedOperationException("The dispatcher never dead-letters a message");
    }

    @Override
    public Redrive redrive() {
        return new Redrive(0, "none needed", null);
    }
}
