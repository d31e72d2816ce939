package dev.backfill.window;

import dev.backfill.InvalidRequestException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A half-open range of days [start, end), as a user asks for it: {@code 2026-04-09 .. 2026-04-30} means the 21 days
 * from April 9 up to and including April 29.
 */
public record WindowRange(LocalDate start, LocalDate end) {

    public WindowRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new InvalidRequestException("Cannot split range: end " + end + " is not after start " + start
                    + " (end is exclusive)");
        }
    }

    public static WindowRange of(LocalDate start, LocalDate end) {
        return new WindowRange(start, end);
    }

    /**
     * Parses ISO dates ({@code yyyy-MM-dd}).
     *
     * @throws InvalidRequestException if either date is missing or malformed, or end is not after start
     */
    public static WindowRange parse(String start, String end) {
        return new WindowRange(parseDate("start", start), parseDate("end", end));
    }

    /** The number of day windows in this range. */
    public long days() {
        return ChronoUnit.DAYS.between(start, end);
    }

    /**
     * Splits the range into one day window per calendar day in {@code zone}, oldest first.
     *
     * @throws InvalidRequestException if the range holds more than {@code maxWindows} days; nothing is allocated
     *                                 for such a range
     */
    public List<Window> splitDays(ZoneId zone, int maxWindows) {
        return split(Grain.DAY, zone, maxWindows);
    }

    /**
     * Splits the range into the windows of {@code grain} in {@code zone}, oldest first: one per day, or one per local
     * hour (23 or 25 on the days clocks change).
     *
     * @throws InvalidRequestException if the range holds more than {@code maxWindows} windows; nothing is allocated
     *                                 for a range of more days than that
     */
    public List<Window> split(Grain grain, ZoneId zone, int maxWindows) {
        long count = count(grain, zone);
        if (count > maxWindows) {
            throw new InvalidRequestException("Cannot split range " + start + " .. " + end + ": " + count
                    + " windows exceed the maximum of " + maxWindows);
        }
        List<Window> windows = new ArrayList<>((int) count);
        for (LocalDate day = start; day.isBefore(end); day = day.plusDays(1)) {
            windows.addAll(grain.windowsOf(day, zone));
        }
        return List.copyOf(windows);
    }

    /** How many windows of {@code grain} the range holds in {@code zone}; counted, not built. */
    public long count(Grain grain, ZoneId zone) {
        return grain == Grain.DAY ? days()
                : ChronoUnit.HOURS.between(start.atStartOfDay(zone), end.atStartOfDay(zone));
    }

    private static LocalDate parseDate(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException("Missing " + field + " date (expected yyyy-MM-dd)");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("Malformed " + field + " date '" + InvalidRequestException.shown(value)
                    + "' (expected yyyy-MM-dd)");
        }
    }
}
