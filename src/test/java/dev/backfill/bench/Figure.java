package dev.backfill.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the bench table: what was measured, its goal, the value, the baseline it is set beside (measured in the
 * same run), how far ahead or behind that is, and whether the goal is met.
 *
 * @param values the raw numbers behind the texts, for {@code bench.json}
 */
record Figure(String figure, String goal, String measured, String baseline, String ratio, Verdict verdict,
              Map<String, Object> values) {

    /** Whether a figure meets its goal; {@link #INFO} has none. */
    enum Verdict {
        MET, MISSED, INFO;

        static Verdict of(boolean met) {
            return met ? MET : MISSED;
        }
    }

    Figure {
        Objects.requireNonNull(figure, "figure");
        Objects.requireNonNull(verdict, "verdict");
        goal = goal == null ? "—" : goal;
        baseline = baseline == null ? "—" : baseline;
        ratio = ratio == null ? "—" : ratio;
        values = values == null ? Map.of() : new LinkedHashMap<>(values);
    }

    /** A figure whose section could not be measured: the failure stands where the number would. */
    static Figure failed(String figure, Exception e) {
        return new Figure(figure, null, "failed: " + e, null, null, Verdict.MISSED, Map.of());
    }

    /** "12.3× faster" and the like: how many times {@code baseline} is {@code measured}, or the other way round. */
    static String times(double ratio, String meaning) {
        return String.format(ratio >= 100 ? "%.0f× %s" : "%.1f× %s", ratio, meaning);
    }

    static String seconds(double seconds) {
        return seconds >= 10 ? String.format("%.1f s", seconds) : String.format("%.2f s", seconds);
    }
}
