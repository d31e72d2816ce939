package dev.backfill.function.metrics;

import java.util.Objects;

/**
 * One metric value of an EMF document: its name (the target member holding the value), its CloudWatch unit and the
 * value. CloudWatch rejects values that are not finite numbers.
 */
public record Metric(String name, Unit unit, double value) {

    /** Longest metric name CloudWatch accepts (PutMetricData, MetricDatum.MetricName). */
    static final int MAX_NAME_LENGTH = 255;

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("Metric name '" + name + "' must have 1 to " + MAX_NAME_LENGTH
                    + " characters, not all blank");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Metric " + name + " must have a finite value, not " + value);
        }
    }

    public static Metric count(String name, long value) {
        return new Metric(name, Unit.COUNT, value);
    }

    public static Metric milliseconds(String name, long value) {
        return new Metric(name, Unit.MILLISECONDS, value);
    }

    /** CloudWatch units, spelled as MetricDatum.Unit spells them. */
    public enum Unit {
        COUNT("Count"),
        MILLISECONDS("Milliseconds"),
        SECONDS("Seconds"),
        BYTES("Bytes"),
        NONE("None");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        /** The unit as an EMF MetricDefinition's {@code Unit} spells it: {@code Milliseconds}. */
        public String cloudWatchName() {
            return cloudWatchName;
        }
    }
}
