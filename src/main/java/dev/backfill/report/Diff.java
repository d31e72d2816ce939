package dev.backfill.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table compared between two snapshots over a range of days: per day and key, each measure before and after, the
 * change and its percentage; each day's and the whole range's totals; the days that appeared or vanished.
 *
 * @param before   the first snapshot: as the request spelled it, and the instant it was read as of
 * @param keys     the key columns of the table (the job's output schema)
 * @param measures the measure columns compared, in schema order
 * @param totals   per measure, summed over every key and day
 * @param appeared days with a partition after but none before
 * @param vanished days with a partition before but none after
 */
public record Diff(String table, String job, String start, String end, Side before, Side after, List<String> keys,
                   List<String> measures, List<Day> days, Map<String, Change> totals, List<String> appeared,
                   List<String> vanished) {

    public Diff {
        keys = List.copyOf(keys);
        measures = List.copyOf(measures);
        days = List.copyOf(days);
        totals = ordered(totals);
        appeared = List.copyOf(appeared);
        vanished = List.copyOf(vanished);
    }

    /** Per key (as {@link Row#label()} spells it), each measure summed over the days; keys in first-seen order. */
    public Map<String, Map<String, Change>> byKey() {
        Map<String, Map<String, Change>> keys = new LinkedHashMap<>();
        for (Day day : days) {
            for (Row row : day.rows()) {
                Map<String, Change> sums = keys.computeIfAbsent(row.label(), label -> new LinkedHashMap<>());
                row.measures().forEach((measure, change) -> sums.merge(measure, change, Change::plus));
            }
        }
        return keys;
    }

    /** A snapshot as asked for ({@code now}, an instant) and the instant it was read as of. */
    /**
     * @param snapshot  as the request spelled it
     * @param asOf      the instant the table was read as of (for a staged side, when the staged output was read)
     * @param stagedRun the run whose staged output this side reads; null for the table itself
     */
    public record Side(String snapshot, Instant asOf, String stagedRun) {

        public Side(String snapshot, Instant asOf) {
            this(snapshot, asOf, null);
        }
    }

    /**
     * One day: whether its partition is there before and after ({@code both}, {@code appeared}, {@code vanished},
     * {@code absent}), the runs and code versions that wrote each, the day's totals per measure and its rows by key.
     */
    public record Day(String label, String presence, String beforeRun, String afterRun, String beforeCodeVersion,
                      String afterCodeVersion, Map<String, Change> totals, List<Row> rows) {

        public Day {
            totals = ordered(totals);
            rows = List.copyOf(rows);
        }
    }

    /** One key's measures; {@code status} is {@code added}, {@code removed}, {@code changed} or {@code same}. */
    public record Row(Map<String, String> key, String status, Map<String, Change> measures) {

        public Row {
            key = ordered(key);
            measures = ordered(measures);
        }

        /** The key as people read it: {@code type=purchase}, or {@code (all)} for a table without keys. */
        public String label() {
            return key.isEmpty() ? "(all)" : String.join(", ", key.entrySet().stream()
                    .map(column -> column.getKey() + "=" + column.getValue()).toList());
        }
    }

    /**
     * One measure before and after; null where the row (or day) is absent on that side. Whole numbers are longs, so
     * JSON shows {@code 330}, not {@code 3.3E+2}. {@code percent} is the change relative to before, to one decimal;
     * null when before is absent or zero.
     */
    public record Change(Number before, Number after, Number delta, Double percent) {

        public static Change of(BigDecimal before, BigDecimal after) {
            BigDecimal delta = before == null && after == null ? null : orZero(after).subtract(orZero(before));
            Double percent = before == null || before.signum() == 0 || delta == null ? null
                    : delta.multiply(BigDecimal.valueOf(100)).divide(before.abs(), 1, RoundingMode.HALF_UP)
                    .doubleValue();
            return new Change(number(before), number(after), number(delta), percent);
        }

        public Change plus(Change other) {
            return of(sum(decimal(before), decimal(other.before)), sum(decimal(after), decimal(other.after)));
        }

        public boolean changed() {
            return delta != null && decimal(delta).signum() != 0 || (before == null) != (after == null);
        }

        private static BigDecimal sum(BigDecimal a, BigDecimal b) {
            return a == null ? b : b == null ? a : a.add(b);
        }

        private static BigDecimal orZero(BigDecimal value) {
            return value == null ? BigDecimal.ZERO : value;
        }
    }

    /** A measure's value as a long when it is whole (and fits), else as a double. */
    static Number number(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal plain = value.stripTrailingZeros();
        if (plain.scale() <= 0 && plain.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return plain.longValueExact();
        }
        return value.doubleValue();
    }

    /** The exact value of a measure, or null. */
    public static BigDecimal decimal(Number value) {
        return value == null ? null : value instanceof Long whole ? BigDecimal.valueOf(whole)
                : new BigDecimal(value.toString());
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
