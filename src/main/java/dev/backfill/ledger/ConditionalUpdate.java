package dev.backfill.ledger;

import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.StoredObject;
import dev.backfill.store.PreconditionFailedException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A read-modify-write of one small object that no concurrent writer can lose: the write is conditional on what was
 * read ({@code If-Match} its ETag, or {@code If-None-Match: *} when there was nothing), and a lost condition reads
 * again and recomputes.
 */
final class ConditionalUpdate {

    /** What to write, and what to answer once it is written. */
    record Change<T>(byte[] content, T result) {
    }

    private ConditionalUpdate() {
    }

    /**
     * @param change from the current object (or none) to the change to write, or empty to leave it as it is
     * @return the change's result once written; empty when {@code change} chose to write nothing
     * @throws ConcurrentUpdateException if other writers won {@code maxTries} times in a row
     */
    static <T> Optional<T> apply(ObjectStore store, String key, int maxTries,
                                 Function<Optional<StoredObject>, Optional<Change<T>>> change) {
        for (int attempt = 0; attempt < maxTries; attempt++) {
            Optional<StoredObject> current = store.get(key);
            Optional<Change<T>> next = change.apply(current);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            try {
                if (current.isPresent()) {
                    store.putIfMatch(key, next.get().content(), current.get().version().etag());
                } else {
                    store.putIfAbsent(key, next.get().content());
                }
                return Optional.of(next.get().result());
            } catch (PreconditionFailedException e) {
                // Another writer changed it between our read and our write: read again.
            }
        }
        throw new ConcurrentUpdateException("Cannot update " + key + ": " + maxTries
                + " concurrent writers won the race");
    }

    /** Others kept winning the conditional write. */
    static final class ConcurrentUpdateException extends dev.backfill.RetryableException {
        ConcurrentUpdateException(String message) {
            super(message);
        }
    }
}
