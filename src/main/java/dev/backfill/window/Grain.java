package dev.backfill.window;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How finely a job cuts time into windows: one per calendar day of the configured zone, or one per hour of it.
 * Ranges are always asked for in days; a day of hour grain holds 24 windows, 23 on the day clocks go forward and 25
 * on the day they go back.
 *
 * <p>Hour windows are labelled by the zone's local hour, {@code 2026-03-29T01}, and their partitions live under
 * {@code dt=2026-03-29/hr=01/}. The hour a day repeats when clocks go back (02:00–03:00 twice in Europe/Berlin) gives
 * two windows: the first keeps the plain label {@code 2026-10-25T02}, the second is {@code 2026-10-25T02-repeat}
 * ({@code hr=02-repeat}). Both sort right after each other and between {@code T01} and {@code T03}, as they happen,
 * and no other label ever ends in {@code -repeat}. Zones whose offset changes by less than an hour are not
 * supported at hour grain (their hours would not start on the hour).
 */
public enum Grain {

    /** One window per calendar day of the zone (the default). */
    DAY("day"),

    /** One window per local hour of the zone. */
    HOUR("hour");

    /** The suffix of the second window of an hour the zone repeats. */
    public static final String REPEAT_SUFFIX = "-repeat";

    private static final DateTimeFormatter HOUR_LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH");

    private final String id;

    Grain(String id) {
        this.id = id;
    }

    /** The grain as configuration and answers spell it: {@code day}, {@code hour}. */
    public String id() {
        return id;
    }

    /** The windows of calendar day {@code day} in {@code zone}, in time order. */
    public List<Window> windowsOf(LocalDate day, ZoneId zone) {
        if (this == DAY) {
            return List.of(Window.day(day, zone));
        }
        Instant start = day.atStartOfDay(zone).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
        List<Window> hours = new ArrayList<>(25);
        String previous = null;
        while (start.isBefore(dayEnd)) {
            Instant end = start.plus(1, ChronoUnit.HOURS);
            String label = HOUR_LABEL.format(LocalDateTime.ofInstant(start, zone));
            hours.add(new Window(label.equals(previous) ? label + REPEAT_SUFFIX : label, start, end));
            previous = label;
            start = end;
        }
        return List.copyOf(hours);
    }

    /** The grain of an id; null when there is none such. */
    public static Grain ofId(String id) {
        for (Grain grain : values()) {
            if (grain.id.equals(id)) {
                return grain;
            }
        }
        return null;
    }
}
