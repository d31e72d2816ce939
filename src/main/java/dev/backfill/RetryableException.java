package dev.backfill;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure that may succeed when tried again: throttling, a 5xx answer, a broken connection or a commit conflict.
 * Workers back off and let the queue deliver the window again.
 */
public class RetryableException extends BackfillException {

    private final Duration retryAfter;

    public RetryableException(String message) {
        this(message, (Duration) null);
    }

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = null;
    }

    /** @param retryAfter the least wait before trying again that the source asked for (an HTTP Retry-After) */
    public RetryableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** The least wait before trying again, when the source said; the window is not made visible sooner. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
