package dev.backfill.job;

/**
 * Where a job reads secrets at run time, such as an API key, by id (a Secrets Manager secret ARN in a deployment).
 * Never logged, never put in messages; read when a window runs, not at start-up, so that no snapshot of the function
 * holds one.
 */
@FunctionalInterface
public interface Secrets {

    /**
     * The secret's current value.
     *
     * @throws dev.backfill.RetryableException if the store cannot answer now
     * @throws IllegalStateException           if there is no such secret or it may not be read
     */
    String value(String id);

    /** No secret store: every read fails. */
    static Secrets none() {
        return id -> {
            throw new IllegalStateException("No secret store is configured to read secret " + id);
        };
    }
}
