package dev.backfill.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where one window of a run stands. */
public enum WindowState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, SUPERSEDED, CANCELLED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WindowState of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** True when no further attempt will change the window. */
    public boolean isFinal() {
        return this == SUCCEEDED || this == SUPERSEDED || this == CANCELLED;
    }
}
