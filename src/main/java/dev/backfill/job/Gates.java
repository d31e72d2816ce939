package dev.backfill.job;

import java.util.Objects;
import java.util.Optional;

/**
 * The audit gates {@code publish} checks for each staged window of a run before it makes any of them current: a job
 * declares its defaults ({@link WindowJob#gates()}), a {@code publish} request may override each one.
 *
 * <ul>
 *   <li>{@code nonEmpty}: the staged partition has at least one row.
 *   <li>{@code maxRowChangePct}: its row count differs from the current partition's by at most this many percent
 *       (checked only where a current partition exists).
 *   <li>{@code maxMeasureChangePct}: each measure of the job's {@link OutputSchema}, summed over all rows, differs
 *       from the current partition's sum by at most this many percent (a sum moving away from 0 is an unbounded
 *       change).
 * </ul>
 * An empty limit switches that gate off.
 */
public record Gates(boolean nonEmpty, Optional<Double> maxRowChangePct, Optional<Double> maxMeasureChangePct) {

    /** Non-empty, rows within ±25 %, each measure's total within ±25 %: what a job gets unless it says otherwise. */
    public static final Gates STANDARD = new Gates(true, Optional.of(25.0), Optional.of(25.0));
    /** No gate at all. */
    public static final Gates NONE = new Gates(false, Optional.empty(), Optional.empty());

    public Gates {
        Objects.requireNonNull(maxRowChangePct, "maxRowChangePct");
        Objects.requireNonNull(maxMeasureChangePct, "maxMeasureChangePct");
        maxRowChangePct.ifPresent(limit -> requireLimit("maxRowChangePct", limit));
        maxMeasureChangePct.ifPresent(limit -> requireLimit("maxMeasureChangePct", limit));
    }

    private static void requireLimit(String name, double limit) {
        if (!(limit >= 0) || Double.isInfinite(limit)) {
            throw new IllegalArgumentException(name + " must be a percentage of at least 0, not " + limit);
        }
    }

    public Gates withNonEmpty(boolean required) {
        return new Gates(required, maxRowChangePct, maxMeasureChangePct);
    }

    public Gates withMaxRowChangePct(Optional<Double> limit) {
        return new Gates(nonEmpty, limit, maxMeasureChangePct);
    }

    public Gates withMaxMeasureChangePct(Optional<Double> limit) {
        return new Gates(nonEmpty, maxRowChangePct, limit);
    }
}
