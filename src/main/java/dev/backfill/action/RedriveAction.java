package dev.backfill.action;

import dev.backfill.dispatch.WindowQueue;
import dev.backfill.dispatch.WindowQueue.Redrive;
import java.util.Objects;

/**
 * {@code {"action":"redrive"}}: moves the dead-letter queue's messages back to the work queue — with SQS's own
 * message-move task where the endpoint has it, else by receiving, sending and deleting — and reports how many. A
 * redriven message gets a new message id and its receive count starts again at 1; attempt tokens stay unique anyway
 * (they carry a random nonce).
 */
public final class RedriveAction implements Action<RedriveAction.Request> {

    private final WindowQueue queue;

    public RedriveAction(WindowQueue queue) {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    public record Request() {
    }

    @Override
    public String name() {
        return "redrive";
    }

    @Override
    public Request parse(ActionInput input) {
        input.allow();
        return new Request();
    }

    @Override
    public Redrive run(Request request) {
        return queue.redrive();
    }
}
