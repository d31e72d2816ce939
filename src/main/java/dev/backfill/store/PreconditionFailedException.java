package dev.backfill.store;

import dev.backfill.RetryableException;

/** A conditional write lost: the object changed since it was read (HTTP 412, or 409 for a concurrent write). */
public class PreconditionFailedException extends RetryableException {

    public PreconditionFailedException(String key) {
        super("Conditional write of " + key + " failed: the object changed since it was read");
    }
}
