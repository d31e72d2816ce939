package dev.backfill.store;

import dev.backfill.RetryableException;

/**
 * The store refused a request for its request rate (HTTP 429, or S3's 503 SlowDown), after the client's own retries.
 * Retrying later can succeed; callers that spend a rate budget tell it, so that throttles are counted.
 */
public class ThrottledException extends RetryableException {

    public ThrottledException(String message, Throwable cause) {
        super(message, cause);
    }
}
