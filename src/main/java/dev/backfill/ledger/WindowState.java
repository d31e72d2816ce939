package dev.backfill.ledger;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where one window of a run stands. Workers record {@code running}, then one outcome; {@code queued} (sent, nothing
 * recorded yet) and {@code unsent} (planned, not on the queue) are what the ledger infers for windows without records.
 */
public enum WindowState {
    UNSENT, QUEUED, RUNNING, SUCCEEDED, FAILED, SUPERSEDED, CANCELLED, STAGED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WindowState of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /**
     * True when the window's output is settled for this run and no later record changes it: committed, or
     * superseded by a newer run. A failed or cancelled window can still be retried.
     */
    public boolean isFinal() {
        return this == SUCCEEDED || this == SUPERSEDED;
    }

    /**
     * True once no attempt is pending or in progress: final, failed, cancelled, or staged (computed for a staged run,
     * waiting for {@code publish}, which then records it succeeded, or {@code discard}, which records it cancelled).
     */
    public boolean isDone() {
        return isFinal() || this == FAILED || this == CANCELLED || this == STAGED;
    }
}
