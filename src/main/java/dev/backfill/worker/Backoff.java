package dev.backfill.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a window waits before its next delivery after a retryable failure: {@code base × 2^(attempt-1)}, capped.
 * SQS caps a message's visibility at 12 hours (ChangeMessageVisibility), so the cap must stay below that.
 */
public record Backoff(Duration base, Duration max) {

    private static final Duration SQS_MAX_VISIBILITY = Duration.ofHours(12);

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || max.compareTo(SQS_MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("Backoff needs 0 < base <= max <= 12h: base " + base + ", max " + max);
        }
    }

    /** The delay after failed delivery number {@code attempt} (1 for the first). */
    public Duration after(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration delay = base.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /**
     * The delay after failed delivery number {@code attempt}, and at least what the upstream asked for (its
     * Retry-After), up to the longest back-off.
     */
    public Duration after(int attempt, Optional<Duration> atLeast) {
        Duration delay = after(attempt);
        Duration asked = atLeast.filter(wait -> wait.compareTo(delay) > 0).orElse(delay);
        return asked.compareTo(max) > 0 ? max : asked;
    }
}
