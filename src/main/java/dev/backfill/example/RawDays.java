package dev.backfill.example;

import dev.backfill.BackfillException;
import dev.backfill.window.Window;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw input partitioned by UTC day, read for a window of any zone: which UTC days a window's instants overlap, and
 * which events of one such day belong to the window. A day the window covers whole is taken whole (its events'
 * {@code ts} lie in it by construction), so a UTC window never parses a timestamp; a day it covers in part is
 * filtered on each event's {@code ts}.
 */
final class RawDays {

    /** Whether an event of one raw day belongs to the window. */
    @FunctionalInterface
    interface EventFilter {
        /**
         * @param ts  the event's {@code ts}, null when it has none
         * @param key the object read, named in the error
         * @throws BackfillException if the event must be placed but has no ISO-8601 {@code ts}
         */
        boolean keeps(String ts, String key);
    }

    /** The filter of a raw day the window covers whole: every event, without reading its {@code ts}. */
    static final EventFilter WHOLE_DAY = (ts, key) -> true;

    private RawDays() {
    }

    /** The UTC days the window's instants overlap, oldest first: one for a UTC day window, two for another zone's. */
    static List<LocalDate> of(Window window) {
        List<LocalDate> days = new ArrayList<>(2);
        LocalDate last = LocalDate.ofInstant(window.end().minusNanos(1), ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(window.start(), ZoneOffset.UTC); !day.isAfter(last);
             day = day.plusDays(1)) {
            days.add(day);
        }
        return days;
    }

    /** Every event of {@code day} when the window covers it whole; else those whose {@code ts} lies in the window. */
    static EventFilter filter(LocalDate day, Window window) {
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        if (!dayStart.isBefore(window.start()) && !dayEnd.isAfter(window.end())) {
            return WHOLE_DAY;
        }
        return (ts, key) -> window.contains(instant(ts, key, window));
    }

    private static Instant instant(String ts, String key, Window window) {
        try {
            return Instant.parse(ts);
        } catch (RuntimeException e) {
            // The value itself stays out of the message: it is payload.
            throw new BackfillException("Event in " + key + " has no 'ts' instant (ISO-8601, such as "
                    + "2026-04-09T08:00:00Z), needed to tell whether it belongs to window " + window.label());
        }
    }
}
