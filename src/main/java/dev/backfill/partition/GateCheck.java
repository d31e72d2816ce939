package dev.backfill.partition;

import java.util.Objects;

/**
 * One audit gate checked on one staged window: what was compared, the values before (the current partition) and after
 * (the staged one), the change and the limit, and whether it passed.
 *
 * @param gate      {@code nonEmpty}, {@code maxRowChangePct} or {@code maxMeasureChangePct}
 * @param measure   the measure column, for {@code maxMeasureChangePct}; otherwise {@code null}
 * @param before    rows or the measure's total in the current partition; {@code null} where it has none
 * @param after     rows or the measure's total in the staged partition
 * @param changePct {@code (after - before) / |before| × 100}; {@code null} where not computed (nonEmpty, no current
 *                  partition) and {@code Infinity} (or {@code -Infinity}) for a total moving away from 0
 * @param limit     the percentage allowed either way; {@code null} for nonEmpty
 */
public record GateCheck(String label, String gate, String measure, Double before, double after, Double changePct,
                        Double limit, boolean passed) {

    public GateCheck {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(gate, "gate");
    }

    /** How an operator reads it in a refusal: {@code 2026-04-09 maxRowChangePct: 10 -> 20 rows (+100.0 %, limit ±25.0 %)}. */
    public String describe() {
        String what = measure == null ? "rows" : measure;
        if (changePct == null) {
            return label + " " + gate + ": " + format(after) + " " + what;
        }
        return label + " " + gate + ": " + what + " " + format(before) + " -> " + format(after) + " ("
                + (changePct.isInfinite() ? (changePct > 0 ? "+∞" : "-∞") : String.format("%+.1f", changePct))
                + " %, limit ±" + String.format("%.1f", limit) + " %)";
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
