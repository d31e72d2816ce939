package dev.backfill.ledger;

import dev.backfill.Json;
import dev.backfill.store.ObjectStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Hands out each job's fences, which order its runs: a later run of a partition always wins. A fence is
 * {@code max(clock in microseconds, the job's last fence + 1)}, claimed with a conditional write of
 * {@code _backfill/fences/<job>.json}, so fences never go backwards even when a dispatcher's clock does, and two
 * concurrent dispatches never share one.
 */
public final class Fences {

    static final String PREFIX = "_backfill/fences/";
    private static final int MAX_TRIES = 20;

    private final ObjectStore store;

    public Fences(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The fence a run of {@code created} would get from the clock alone: microseconds since the epoch. */
    public static long ofClock(Instant created) {
        return Math.addExact(Math.multiplyExact(created.getEpochSecond(), 1_000_000L), created.getNano() / 1_000);
    }

    /**
     * Claims the next fence of {@code job}.
     *
     * @throws dev.backfill.RetryableException if other dispatchers won the conditional write {@value #MAX_TRIES} times
     *                                         in a row
     */
    public long allocate(String job, Instant now) {
        return ConditionalUpdate.apply(store, PREFIX + job + ".json", MAX_TRIES, current -> {
            long last = current.map(object -> Json.read(object.content(), Fence.class).fence()).orElse(0L);
            long next = Math.max(ofClock(now), last + 1);
            return Optional.of(new ConditionalUpdate.Change<>(Json.write(new Fence(job, next, now)), next));
        }).orElseThrow();
    }

    /** The last fence claimed for a job. */
    public record Fence(String job, long fence, Instant claimedAt) {
    }
}
