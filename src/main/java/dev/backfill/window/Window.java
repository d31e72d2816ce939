package dev.backfill.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One logical window of a job: a label that names the output partition and the instant range [start, end) whose
 * data belongs to it. A day window in a zone other than UTC still covers exactly that zone's calendar day, which is
 * 23 or 25 hours long on daylight-saving changes.
 *
 * @param label the partition label, for a day {@code 2026-04-09}
 * @param start first instant of the window, inclusive
 * @param end   first instant after the window, exclusive
 */
public record Window(String label, Instant start, Instant end) {

    public Window {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (label.isBlank()) {
            throw new IllegalArgumentException("Window label must not be blank");
        }
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException(
                    "Window " + label + " must end after it starts: start " + start + ", end " + end);
        }
    }

    /** The calendar day {@code date} in {@code zone}, labelled with its ISO date. */
    public static Window day(LocalDate date, ZoneId zone) {
        return new Window(
                date.toString(),
                date.atStartOfDay(zone).toInstant(),
                date.plusDays(1).atStartOfDay(zone).toInstant());
    }

    /** The day this window's label names; only meaningful for day windows. */
    public LocalDate date() {
        return LocalDate.parse(label);
    }
}
