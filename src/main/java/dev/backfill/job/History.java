package dev.backfill.job;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * How far back a job's upstream serves data: every day, every day since a fixed date, or a rolling horizon of the
 * last N days (APIs and warehouses that forget). {@code plan} reports days before the oldest served day as not
 * served, and {@code audit} reads the oldest one to check that the history is really there.
 *
 * @param since   the oldest day served for good, or null
 * @param horizon how many days back from today the upstream still serves (today − horizon is served), or 0
 */
public record History(LocalDate since, int horizon) {

    public History {
        if (horizon < 0) {
            throw new IllegalArgumentException("History horizon must not be negative: " + horizon);
        }
        if (since != null && horizon > 0) {
            throw new IllegalArgumentException("A history is either since a day or a horizon, not both");
        }
    }

    /** The upstream keeps everything (the default). */
    public static History unlimited() {
        return new History(null, 0);
    }

    /** The upstream serves {@code day} and every day after it. */
    public static History since(LocalDate day) {
        return new History(Objects.requireNonNull(day, "day"), 0);
    }

    /** The upstream serves the last {@code days} days before {@code today}, and forgets older ones. */
    public static History lastDays(int days) {
        if (days < 1) {
            throw new IllegalArgumentException("History must cover at least one day: " + days);
        }
        return new History(null, days);
    }

    /** The oldest day served as seen on {@code today}; empty when there is no limit. */
    public Optional<LocalDate> oldestServed(LocalDate today) {
        if (since != null) {
            return Optional.of(since);
        }
        return horizon > 0 ? Optional.of(today.minusDays(horizon)) : Optional.empty();
    }

    public boolean serves(LocalDate day, LocalDate today) {
        return oldestServed(today).map(oldest -> !day.isBefore(oldest)).orElse(true);
    }
}
