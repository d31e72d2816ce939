package dev.backfill.dispatch;

import java.util.Locale;

/** The order windows are sent in. SQS standard queues deliver roughly, not strictly, in send order. */
public enum Order {
    OLDEST, NEWEST;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
