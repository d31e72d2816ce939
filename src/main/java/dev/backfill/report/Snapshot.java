package dev.backfill.report;

import dev.backfill.InvalidRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Which state of a table a comparison reads: the table as of an instant, or as it is now. Each kind resolves to an
 * instant the table is read as of; a kind that reads something else (a run's staged, unpublished output) is one more
 * record here and one more case where snapshots are read.
 */
public sealed interface Snapshot {

    /** The words a request spells the kinds with, for messages. */
    String SPELLINGS = "an ISO instant such as 2026-11-25T02:00:00Z, now, or staged:<runId>";

    /** The instant the table is read as of, given the request's {@code now}. */
    Instant instant(Instant now);

    /** The table as it was at an instant. */
    record AsOf(Instant instant) implements Snapshot {

        public AsOf {
            Objects.requireNonNull(instant, "instant");
        }

        @Override
        public Instant instant(Instant now) {
            return instant;
        }

        @Override
        public String toString() {
            return instant.toString();
        }
    }

    /** The table as it is when the request runs. */
    record Now() implements Snapshot {

        @Override
        public Instant instant(Instant now) {
            return now;
        }

        @Override
        public String toString() {
            return "now";
        }
    }

    /** A run's staged output ({@code "publish":"staged"}), not yet published: what readers would see after publish. */
    record Staged(String runId) implements Snapshot {

        private static final java.util.regex.Pattern RUN_ID = java.util.regex.Pattern.compile(
                "[A-Za-z0-9][A-Za-z0-9_-]{0,99}");

        public Staged {
            Objects.requireNonNull(runId, "runId");
        }

        /** Read now: staged output is not versioned by time. */
        @Override
        public Instant instant(Instant now) {
            return now;
        }

        @Override
        public String toString() {
            return "staged:" + runId;
        }
    }

    /**
     * Reads a request's snapshot field: {@code now}, an ISO instant, or {@code staged:<runId>}.
     *
     * @throws InvalidRequestException naming the field and value otherwise
     */
    static Snapshot parse(String field, String text) {
        if (text.equals("now")) {
            return new Now();
        }
        if (text.startsWith("staged:") && Staged.RUN_ID.matcher(text.substring("staged:".length())).matches()) {
            return new Staged(text.substring("staged:".length()));
        }
        try {
            return new AsOf(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("Malformed " + field + " '" + InvalidRequestException.shown(text)
                    + "' (expected " + SPELLINGS + ")");
        }
    }
}
