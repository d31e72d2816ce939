package dev.backfill.dispatch;

import dev.backfill.ledger.RunRecord;
import java.util.List;

/** A run ready to dispatch: its ledger record and its messages, oldest window first. */
public record RunPlan(RunRecord run, List<WindowMessage> messages) {

    public RunPlan {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("A run plan needs at least one window");
        }
    }

    public List<String> labels() {
        return messages.stream().map(message -> message.window().label()).toList();
    }
}
