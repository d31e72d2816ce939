package dev.backfill.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One logical window of a job: a label that names the output partition and the instant range [start, end) whose
 * data belongs to it. A day window in a zone other than UTC still covers exactly that zone's calendar day, which is
 * 23 or 25 hours long on daylight-saving changes.
 *
 * @param label the partition label: for a day {@code 2026-04-09}, for an hour {@code 2026-04-09T13} (see {@link Grain})
 * @param start first instant of the window, inclusive
 * @param end   first instant after the window, exclusive
 */
public record Window(String label, Instant start, Instant end) {

    private static final int DATE_LENGTH = "yyyy-MM-dd".length();

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

    /** Whether {@code instant} lies in this window: {@code start <= instant < end}. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /** The calendar day {@code date} in {@code zone}, labelled with its ISO date. */
    public static Window day(LocalDate date, ZoneId zone) {
        return new Window(
                date.toString(),
                date.atStartOfDay(zone).toInstant(),
                date.plusDays(1).atStartOfDay(zone).toInstant());
    }

    /**
     * The window a label names in {@code zone}: a day {@code 2026-04-09} or an hour {@code 2026-04-09T13} (see
     * {@link Grain}).
     *
     * @throws IllegalArgumentException if the label names no window of that zone
     */
    public static Window ofLabel(String label, ZoneId zone) {
        Objects.requireNonNull(label, "label");
        LocalDate day;
        try {
            day = LocalDate.parse(label.substring(0, Math.min(label.length(), DATE_LENGTH)));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Window label '" + label + "' does not start with a date (yyyy-MM-dd)");
        }
        Grain grain = label.length() == DATE_LENGTH ? Grain.DAY : Grain.HOUR;
        return grain.windowsOf(day, zone).stream()
                .filter(window -> window.label().equals(label))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No window is labelled '" + label + "' in " + zone));
    }

    /** The local calendar day this window's label names: the day of a day window, the day of an hour window. */
    public LocalDate date() {
        return LocalDate.parse(label.substring(0, Math.min(label.length(), DATE_LENGTH)));
    }
}
