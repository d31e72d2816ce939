package dev.backfill.ledger;

import dev.backfill.Json;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.StoredObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * Each job's schedule watermark, {@code _backfill/watermarks/<job>.json}: the last logical day the schedule
 * dispatched. A firing dispatches every day after it up to its own logical day, so a skipped firing is caught up at
 * the next. No hidden state: an operator reads and sets it by hand.
 */
public final class Watermarks {

    static final String PREFIX = "_backfill/watermarks/";
    private static final int MAX_TRIES = 10;

    private final ObjectStore store;

    public Watermarks(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    public Optional<Watermark> read(String job) {
        return current(job).map(object -> Json.read(object.content(), Watermark.class));
    }

    /** Sets the watermark to {@code day}, forwards or backwards: an operator's override. */
    public Watermark set(String job, LocalDate day, String by, Instant at) {
        Watermark watermark = new Watermark(job, day, by, at);
        store.put(key(job), Json.write(watermark));
        return watermark;
    }

    /**
     * Moves the watermark forward to {@code day}, never backwards, with a conditional write; a watermark already at
     * or past {@code day} is left as it is.
     */
    public void advance(String job, LocalDate day, String by, Instant at) {
        ConditionalUpdate.apply(store, key(job), MAX_TRIES, current -> {
            Optional<Watermark> watermark = current.map(object -> Json.read(object.content(), Watermark.class));
            if (watermark.isPresent() && !watermark.get().day().isBefore(day)) {
                return Optional.empty();
            }
            return Optional.of(new ConditionalUpdate.Change<>(Json.write(new Watermark(job, day, by, at)), day));
        });
    }

    private Optional<StoredObject> current(String job) {
        return store.get(key(job));
    }

    private static String key(String job) {
        return PREFIX + job + ".json";
    }

    /** @param by the run that advanced it, or {@code set by hand} */
    public record Watermark(String job, LocalDate day, String by, Instant updatedAt) {
        public Watermark {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(day, "day");
        }
    }
}
