package dev.backfill.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a job may still run before its worker has to stop: Lambda's remaining time for the invocation, less what
 * the commit needs. A job that would wait past it gives the window back as retryable instead of being killed mid-way.
 */
@FunctionalInterface
public interface Deadline {

    /** The time left; zero or negative once the deadline has passed. */
    Duration remaining();

    /** True when {@code wait} still fits in the time left. */
    default boolean allows(Duration wait) {
        return wait.compareTo(remaining()) < 0;
    }

    /** No deadline: tests and tools that run a job outside Lambda. */
    static Deadline none() {
        return () -> Duration.ofDays(365);
    }

    /** The deadline {@code left} from now, as told by {@code clock}: Lambda's remaining time less a reserve. */
    static Deadline after(Duration left, Clock clock) {
        return at(clock.instant().plus(left), clock);
    }

    /** The deadline at {@code end}, as told by {@code clock}. */
    static Deadline at(Instant end, Clock clock) {
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(clock, "clock");
        return () -> Duration.between(clock.instant(), end);
    }
}
