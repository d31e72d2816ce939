package dev.backfill.partition;

import dev.backfill.Json;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.ObjectStore.StoredObject;
import dev.backfill.store.PreconditionFailedException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes a staged window of a run current, or deletes it, with the commit protocol's guarantees.
 *
 * <p>{@link #inspect} decides without writing: a window is {@code READY} when the partition's {@code _manifest.json}
 * is still the one it was staged against (same ETag; still none for a partition that had none), {@code PUBLISHED}
 * when this very staged manifest is current already (a repeated publish), {@code CONFLICT} when the partition changed
 * since (another run committed or published it, or it was deleted), {@code MISSING} when the run staged nothing
 * there. {@link #publish} then, for a ready window: copies the staged parts to visible {@code part-} names, writes the
 * manifest with {@code If-Match} the staged-against ETag ({@code If-None-Match: *} for a partition that had none),
 * and, best effort, deletes the old parts and the run's staged objects. A lost condition is a conflict, and the
 * copies it made are deleted. As the base manifest's run was never newer than the staged run (staging stops as
 * superseded otherwise), and any later commit changes the ETag, a newer fence's manifest is never replaced.
 */
public final class StagedPublisher {

    private final ObjectStore store;
    private final Clock clock;
    private final PartitionCommitter cleaner;

    public StagedPublisher(ObjectStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cleaner = new PartitionCommitter(store, clock);
    }

    /** Where a staged window stands. */
    public enum State { READY, PUBLISHED, CONFLICT, MISSING }

    /**
     * One window of a staged run, as {@link #inspect} found it.
     *
     * @param staged  the run's staged manifest, if any
     * @param current the partition's manifest now, if any
     * @param reason  why it is in a conflict or missing, for the operator
     */
    public record Candidate(PartitionPath path, String runId, State state, Optional<StagedManifest> staged,
                            Optional<Manifest> current, String currentEtag, String reason) {
    }

    /** The outcome of publishing one window; {@code manifestVersionId} is the published manifest's version. */
    public record Published(Candidate candidate, State state, String manifestVersionId, String reason) {
    }

    /** Reads the run's staged manifest and the partition's current one: two GETs, no write. */
    public Candidate inspect(PartitionPath path, String runId) {
        Optional<StagedManifest> staged = store.get(path.stagedManifestKey(runId))
                .map(object -> Json.read(object.content(), StagedManifest.class));
        Optional<StoredObject> stored = store.get(path.manifestKey());
        Optional<Manifest> current = stored.map(object -> Json.read(object.content(), Manifest.class));
        String etag = stored.map(object -> object.version().etag()).orElse(null);
        if (staged.isEmpty()) {
            boolean ours = current.isPresent() && current.get().runId().equals(runId);
            return new Candidate(path, runId, ours ? State.PUBLISHED : State.MISSING, staged, current, etag,
                    ours ? null : "not staged by run " + runId);
        }
        StagedManifest manifest = staged.get();
        if (current.isPresent() && current.get().attempt().equals(manifest.manifest().attempt())) {
            return new Candidate(path, runId, State.PUBLISHED, staged, current, etag, null);
        }
        String changed = changed(manifest, current, etag);
        return new Candidate(path, runId, changed == null ? State.READY : State.CONFLICT, staged, current, etag,
                changed);
    }

    private static String changed(StagedManifest staged, Optional<Manifest> current, String etag) {
        if (current.isEmpty()) {
            return staged.stagedOnEmpty() ? null : "the partition's manifest was deleted since it was staged";
        }
        String by = " by run " + current.get().runId() + " (fence " + current.get().fence() + ")";
        if (current.get().token().isNewerThan(staged.manifest().token())) {
            return "a newer run owns the partition" + by;
        }
        if (staged.stagedOnEmpty() || !staged.baseEtag().equals(etag)) {
            return "the partition was committed since it was staged" + by;
        }
        return null;
    }

    /**
     * Publishes a {@code READY} window; for a {@code PUBLISHED} one, only finishes the cleanup. Other states are
     * answered as they are, with nothing written.
     */
    public Published publish(Candidate candidate) {
        if (candidate.state() == State.PUBLISHED) {
            candidate.staged().ifPresent(staged -> cleanUp(candidate, staged.manifest()));
            return new Published(candidate, State.PUBLISHED, null, null);
        }
        if (candidate.state() != State.READY) {
            return new Published(candidate, candidate.state(), null, candidate.reason());
        }
        PartitionPath path = candidate.path();
        StagedManifest staged = candidate.staged().orElseThrow();
        Manifest base = staged.manifest();
        List<Manifest.Part> parts = new ArrayList<>();
        for (int i = 0; i < base.parts().size(); i++) {
            Manifest.Part part = base.parts().get(i);
            ObjectVersion copied = store.copy(part.key(), path.partKey(i, base.token()));
            parts.add(new Manifest.Part(copied.key(), copied.versionId(), copied.etag(), part.size(), part.rows()));
        }
        Manifest manifest = new Manifest(base.v(), base.table(), base.job(), base.window(), base.runId(), base.fence(),
                base.attempt(), base.codeVersion(), base.rows(), parts, base.inputs(), base.startedAt(),
                clock.instant());
        byte[] body = Json.write(manifest);
        try {
            ObjectVersion written = staged.stagedOnEmpty() ? store.putIfAbsent(path.manifestKey(), body)
                    : store.putIfMatch(path.manifestKey(), body, staged.baseEtag());
            cleanUp(candidate, manifest);
            return new Published(candidate, State.PUBLISHED, written.versionId(), null);
        } catch (PreconditionFailedException e) {
            Candidate now = inspect(path, candidate.runId());
            if (now.state() == State.PUBLISHED) {
                // Our PUT landed and its answer was lost; the SDK's retry of it failed the condition.
                cleanUp(now, manifest);
                return new Published(now, State.PUBLISHED, null, null);
            }
            store.deleteAll(parts.stream().map(Manifest.Part::key).toList());
            return new Published(now, State.CONFLICT, null, now.reason() != null ? now.reason()
                    : "the partition changed during the publish");
        }
    }

    /** Best effort: the old parts and leftovers (as a commit deletes them), then the run's staged objects. */
    private void cleanUp(Candidate candidate, Manifest published) {
        cleaner.cleanUpAfterCommit(candidate.path(), published, published.token());
        try {
            discard(candidate.path(), candidate.runId());
        } catch (RuntimeException e) {
            // Published; a later publish or discard of the run deletes what is left.
        }
    }

    /**
     * Deletes every object run {@code runId} staged in the partition (parts, manifest); nothing else.
     *
     * @return how many objects were deleted
     */
    public int discard(PartitionPath path, String runId) {
        List<String> keys = store.list(path.stagedPrefix(runId)).stream().map(ObjectSummary::key).toList();
        return keys.isEmpty() ? 0 : store.deleteAll(keys);
    }
}
