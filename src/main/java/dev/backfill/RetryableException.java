package dev.backfill;

/**
 * A failure that may succeed when tried again: throttling, a 5xx answer, a broken connection or a commit conflict.
 * Workers back off and let the queue deliver the window again.
 */
public class RetryableException extends BackfillException {

    public RetryableException(String message) {
        super(message);
    }

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
