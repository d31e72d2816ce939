package dev.backfill.dispatch;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a run's windows reach the table. {@code direct}: each window replaces its partition when it commits.
 * {@code staged}: each window commits to a staged manifest of the run, invisible to readers, until the {@code publish}
 * action makes the run's windows current (after its audit gates) or {@code discard} deletes them.
 */
public enum Publish {
    DIRECT, STAGED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException if {@code id} names no mode */
    @JsonCreator
    public static Publish of(String id) {
        return id == null ? DIRECT : valueOf(id.toUpperCase(Locale.ROOT));
    }
}
