package dev.backfill.dispatch;

import dev.backfill.RetryableException;

/** Some windows of a recorded run could not be put on the queue; the run id says which run to retry. */
public class DispatchFailedException extends RetryableException {

    public DispatchFailedException(String message) {
        super(message);
    }
}
