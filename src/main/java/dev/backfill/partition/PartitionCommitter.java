package dev.backfill.partition;

import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.job.InputRef;
import dev.backfill.job.JobResult;
import dev.backfill.job.PartitionSink;
import dev.backfill.partition.Manifest.WindowRef;
import dev.backfill.store.ObjectNotFoundException;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.ObjectStore.StoredObject;
import dev.backfill.store.PreconditionFailedException;
import dev.backfill.window.Window;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces a partition atomically for readers that go through its manifest.
 *
 * <ol>
 *   <li>Read {@code _manifest.json} (ETag E0, token T0). If T0 is newer than this attempt's token, stop: superseded.
 *       If T0 is this very run's, the window is committed already: acknowledge without running the job, after the
 *       cleanup of step 5 (the delivery that committed may have died before it).
 *   <li>Run the job into local files; a job that fails uploads nothing.
 *   <li>Upload the parts under {@code _staging-} names unique to this attempt, which prefix readers skip.
 *   <li>Make them visible as late as possible: a server-side copy to their {@code part-} names, then at once the new
 *       manifest, conditionally ({@code If-Match: E0}, or {@code If-None-Match: *} when there was none). On a lost
 *       condition, re-read: stop as superseded if a newer run or another delivery of this run now owns the partition
 *       (deleting this attempt's objects), otherwise try again against the new ETag.
 *   <li>Best effort, after the commit: delete every object under the prefix that the manifest does not list — old
 *       parts, this attempt's staged copies, orphans of dead attempts — except a newer run's objects younger
 *       than the longest Lambda timeout, which may still be in flight. A failure here never un-commits the window:
 *       the outcome says the cleanup is pending, and the worker has the message delivered again, which finishes it
 *       at step 1 without running the job.
 * </ol>
 * Readers through the manifest never see a mixed, partial or empty partition. Prefix readers see old and new parts
 * together only from the copies to the cleanup (a few requests). A crash at any step leaves the previous manifest in
 * force. Any number of retries and duplicate deliveries converge; an older run never replaces a newer one.
 */
public final class PartitionCommitter {

    /** Lost conditional writes tolerated before giving up; each one means another writer made progress. */
    private static final int MAX_CONFLICTS = 5;
    /**
     * No attempt lives longer than Lambda's longest function timeout (900 s, Lambda quotas): objects of a newer
     * attempt older than this are orphans of an attempt that died, not work in flight.
     */
    static final java.time.Duration MAX_ATTEMPT_AGE = java.time.Duration.ofMinutes(15);

    private final ObjectStore store;
    private final Clock clock;

    public PartitionCommitter(ObjectStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Stages a partition's output; returns what the job reported and the inputs it read. */
    @FunctionalInterface
    public interface PartitionWriter {
        Staged write(PartitionSink sink) throws IOException;
    }

    /** What a writer staged besides the parts themselves. */
    public record Staged(JobResult result, List<InputRef> inputs) {
    }

    /** Who commits and why. */
    public record CommitRequest(String runId, String job, Window window, CommitToken token, String codeVersion,
                                Instant startedAt) {
        public CommitRequest {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(startedAt, "startedAt");
        }
    }

    /**
     * Runs {@code writer} and makes its parts the partition's content.
     *
     * @throws IOException          if the writer fails; the previous partition stays in force
     * @throws RetryableException   if the manifest kept changing under this attempt, or the store failed transiently
     */
    public CommitOutcome replace(PartitionPath path, CommitRequest request, PartitionWriter writer)
            throws IOException {
        Optional<CurrentManifest> current = readCurrent(path);
        if (current.isPresent() && current.get().manifest().runId().equals(request.runId())) {
            // Committed by an earlier delivery of this run, which may have died or failed in its cleanup: finish it.
            return superseded(current.get(),
                    cleanUpAfterCommit(path, current.get().manifest(), current.get().manifest().token()));
        }
        if (current.isPresent() && current.get().manifest().token().isNewerThan(request.token())) {
            return superseded(current.get());
        }
        try (StagingSink sink = new StagingSink()) {
            Staged staged = writer.write(sink);
            List<String> stagedKeys = upload(path, request.token(), sink.parts());
            return commit(path, request, current, staged, sink.parts(), stagedKeys);
        }
    }

    private List<String> upload(PartitionPath path, CommitToken token, List<StagingSink.LocalPart> parts) {
        List<String> keys = new ArrayList<>();
        for (StagingSink.LocalPart part : parts) {
            String key = path.stagedPartKey(part.index(), token);
            store.put(key, part.file());
            keys.add(key);
        }
        return keys;
    }

    private CommitOutcome commit(PartitionPath path, CommitRequest request, Optional<CurrentManifest> current,
                                 Staged staged, List<StagingSink.LocalPart> local, List<String> stagedKeys)
            throws IOException {
        List<Manifest.Part> parts = new ArrayList<>();
        for (int i = 0; i < local.size(); i++) {
            StagingSink.LocalPart part = local.get(i);
            ObjectVersion copied;
            try {
                copied = store.copy(stagedKeys.get(i), path.partKey(part.index(), request.token()));
            } catch (ObjectNotFoundException e) {
                return lostUpload(path, request, stagedKeys, parts, e);
            }
            parts.add(new Manifest.Part(copied.key(), copied.versionId(), copied.etag(),
                    java.nio.file.Files.size(part.file()), part.rows()));
        }
        Manifest manifest = manifest(path, request, parts, staged);
        byte[] body = Json.write(manifest);
        for (int conflicts = 0; ; conflicts++) {
            try {
                ObjectVersion written = current.isPresent()
                        ? store.putIfMatch(path.manifestKey(), body, current.get().etag())
                        : store.putIfAbsent(path.manifestKey(), body);
                return new CommitOutcome.Committed(manifest, written.versionId(),
                        cleanUpAfterCommit(path, manifest, request.token()), staged.result());
            } catch (PreconditionFailedException e) {
                if (conflicts + 1 >= MAX_CONFLICTS) {
                    throw new RetryableException("Cannot commit " + path.prefix() + ": the manifest changed "
                            + MAX_CONFLICTS + " times during the commit", e);
                }
                current = readCurrent(path);
                if (current.isPresent() && current.get().manifest().token().equals(request.token())) {
                    // Our own PUT landed and its response was lost; the SDK's retry of it then failed the condition
                    // (S3 answers a conditional write retried after success with 412). Committed, once.
                    return new CommitOutcome.Committed(manifest, current.get().versionId(),
                            cleanUpAfterCommit(path, manifest, request.token()), staged.result());
                }
                if (current.isPresent() && winsOver(current.get().manifest(), request)) {
                    List<String> mine = new ArrayList<>(stagedKeys);
                    parts.forEach(part -> mine.add(part.key()));
                    store.deleteAll(mine);
                    return superseded(current.get());
                }
            }
        }
    }

    /**
     * This attempt's staged upload is gone: a newer attempt committed meanwhile and its cleanup deleted it (a
     * duplicate delivery, or a newer run). Superseded, then, not failed; anything else is a transient mystery.
     */
    private CommitOutcome lostUpload(PartitionPath path, CommitRequest request, List<String> stagedKeys,
                                     List<Manifest.Part> copied, ObjectNotFoundException e) {
        Optional<CurrentManifest> current = readCurrent(path);
        if (current.isPresent() && winsOver(current.get().manifest(), request)) {
            List<String> mine = new ArrayList<>(stagedKeys);
            copied.forEach(part -> mine.add(part.key()));
            store.deleteAll(mine);
            return superseded(current.get());
        }
        throw new RetryableException("Cannot commit " + path.prefix() + ": a staged part vanished before its copy", e);
    }

    /** The partition's manifest now in force, or empty when it was never committed. */
    public Optional<Manifest> current(PartitionPath path) {
        return readCurrent(path).map(CurrentManifest::manifest);
    }

    private Optional<CurrentManifest> readCurrent(PartitionPath path) {
        Optional<StoredObject> stored = store.get(path.manifestKey());
        return stored.map(object -> new CurrentManifest(
                Json.read(object.content(), Manifest.class), object.version().etag(), object.version().versionId()));
    }

    private Manifest manifest(PartitionPath path, CommitRequest request, List<Manifest.Part> parts, Staged staged) {
        Window window = request.window();
        long rows = parts.stream().mapToLong(Manifest.Part::rows).sum();
        return new Manifest(Manifest.VERSION, path.table(), request.job(),
                new WindowRef(window.label(), window.start(), window.end()), request.runId(),
                request.token().fence(), request.token().toString(), request.codeVersion(), rows, parts,
                staged.inputs(), request.startedAt(), clock.instant());
    }

    /**
     * Deletes what the manifest does not list, this attempt's staged upload among it. Spares the objects of staged
     * runs: they belong to that run until it is published or discarded. Never throws: the window is committed, and a
     * failed cleanup is reported for the caller to have it done again.
     */
    Cleanup cleanUpAfterCommit(PartitionPath path, Manifest manifest, CommitToken mine) {
        try {
            return Cleanup.done(deleteUnlisted(path, manifest, mine));
        } catch (RuntimeException e) {
            return Cleanup.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private int deleteUnlisted(PartitionPath path, Manifest manifest, CommitToken mine) {
        Set<String> keep = new HashSet<>();
        keep.add(path.manifestKey());
        manifest.parts().forEach(part -> keep.add(part.key()));
        Instant orphanedBefore = clock.instant().minus(MAX_ATTEMPT_AGE);
        List<String> doomed = store.list(path.prefix()).stream()
                .filter(object -> !keep.contains(object.key()))
                .filter(object -> !PartitionPath.isRunStaged(object.key()))
                .filter(object -> !inFlight(object, mine, orphanedBefore))
                .map(ObjectSummary::key)
                .toList();
        return doomed.isEmpty() ? 0 : store.deleteAll(doomed);
    }

    /**
     * An object of a newer run's attempt, young enough that the attempt may still be running. Attempts of the
     * committed run itself (same fence) are never in flight: once their run has committed the partition they stop at
     * their manifest PUT ({@link #winsOver}), so what they left is deleted at once — a delivery that died after its
     * upload would otherwise keep its parts for {@link #MAX_ATTEMPT_AGE}, and for ever if nothing commits again.
     */
    private static boolean inFlight(ObjectSummary object, CommitToken mine, Instant orphanedBefore) {
        boolean newerRun = CommitToken.ofPartKey(object.key())
                .map(token -> token.fence() != mine.fence() && token.isNewerThan(mine)).orElse(false);
        return newerRun && (object.lastModified() == null || object.lastModified().isAfter(orphanedBefore));
    }

    /**
     * Whether the manifest now in force ends this attempt: a newer run's commit, or another delivery of this very
     * run (SQS delivers at least once; the first of a run's deliveries to commit wins, the others are duplicates).
     */
    private static boolean winsOver(Manifest current, CommitRequest request) {
        return current.token().isNewerThan(request.token()) || current.runId().equals(request.runId());
    }

    private static CommitOutcome superseded(CurrentManifest current) {
        return superseded(current, Cleanup.done(0));
    }

    private static CommitOutcome superseded(CurrentManifest current, Cleanup cleanup) {
        Manifest manifest = current.manifest();
        return new CommitOutcome.Superseded(manifest.runId(), manifest.token(), manifest.rows(), current.versionId(),
                cleanup);
    }

    private record CurrentManifest(Manifest manifest, String etag, String versionId) {
    }
}
