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
    String SPELLINGS = "an ISO instant such as 2026-11-25T02:00:00Z, or now";

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

    /**
     * Reads a request's snapshot field: {@code now} or an ISO instant.
     *
     * @throws InvalidRequestException naming the field and value otherwise
     */
    static Snapshot parse(String field, String text) {
        if (text.equals("now")) {
            return new Now();
        }
        try {
            return new AsOf(Instant.parse(text));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("Malformed " + field + " '" + InvalidRequestException.shown(text)
                    + "' (expected " + SPELLINGS + ")");
        }
    }
}
