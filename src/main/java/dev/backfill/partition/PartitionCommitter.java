package dev.backfill.partition;

import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.job.InputRef;
import dev.backfill.job.JobResult;
import dev.backfill.job.PartitionSink;
import dev.backfill.partition.Manifest.WindowRef;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.ObjectStore.StoredObject;
import dev.backfill.store.PreconditionFailedException;
import dev.backfill.window.Window;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
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
 *   <li>Stage the new part files under keys unique to this attempt.
 *   <li>Write the new manifest conditionally ({@code If-Match: E0}, or {@code If-None-Match: *} when there was none).
 *       On a lost condition, re-read: stop as superseded if a newer attempt now owns the partition, otherwise try
 *       again against the new ETag.
 *   <li>Delete every object under the prefix that the manifest does not list, except the staged parts of newer
 *       attempts still in flight.
 * </ol>
 * After {@link CommitOutcome.Committed} the prefix holds exactly the manifest's parts and the manifest. A crash at any
 * step leaves the previous manifest in force; the next attempt deletes what the crash left behind. Any number of
 * retries and duplicate deliveries converge; an older run never replaces a newer one.
 */
public final class PartitionCommitter {

    /** Lost conditional writes tolerated before giving up; each one means another writer made progress. */
    private static final int MAX_CONFLICTS = 5;

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
        if (current.isPresent() && current.get().manifest().token().isNewerThan(request.token())) {
            return superseded(current.get());
        }

        StagingSink sink = new StagingSink(store, path, request.token());
        Staged staged = writer.write(sink);
        Manifest manifest = manifest(path, request, sink, staged);
        byte[] body = Json.write(manifest);
        for (int conflicts = 0; ; conflicts++) {
            try {
                ObjectVersion written = current.isPresent()
                        ? store.putIfMatch(path.manifestKey(), body, current.get().etag())
                        : store.putIfAbsent(path.manifestKey(), body);
                int deleted = deleteUnlisted(path, manifest, request.token());
                return new CommitOutcome.Committed(manifest, written.versionId(), deleted, staged.result());
            } catch (PreconditionFailedException e) {
                if (conflicts + 1 >= MAX_CONFLICTS) {
                    throw new RetryableException("Cannot commit " + path.prefix() + ": the manifest changed "
                            + MAX_CONFLICTS + " times during the commit", e);
                }
                current = readCurrent(path);
                if (current.isPresent() && current.get().manifest().token().isNewerThan(request.token())) {
                    store.deleteAll(manifest.parts().stream().map(Manifest.Part::key).toList());
                    return superseded(current.get());
                }
            }
        }
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

    private Manifest manifest(PartitionPath path, CommitRequest request, StagingSink sink, Staged staged) {
        Window window = request.window();
        List<Manifest.Part> parts = sink.parts();
        long rows = parts.stream().mapToLong(Manifest.Part::rows).sum();
        return new Manifest(Manifest.VERSION, path.table(), request.job(),
                new WindowRef(window.label(), window.start(), window.end()), request.runId(),
                request.token().fence(), request.token().toString(), request.codeVersion(), rows, parts,
                staged.inputs(), request.startedAt(), clock.instant());
    }

    private int deleteUnlisted(PartitionPath path, Manifest manifest, CommitToken mine) {
        Set<String> keep = new HashSet<>();
        keep.add(path.manifestKey());
        manifest.parts().forEach(part -> keep.add(part.key()));
        List<String> doomed = store.list(path.prefix()).stream()
                .map(ObjectSummary::key)
                .filter(key -> !keep.contains(key))
                .filter(key -> CommitToken.ofPartKey(key).map(token -> !token.isNewerThan(mine)).orElse(true))
                .toList();
        return doomed.isEmpty() ? 0 : store.deleteAll(doomed);
    }

    private static CommitOutcome superseded(CurrentManifest current) {
        Manifest manifest = current.manifest();
        return new CommitOutcome.Superseded(manifest.runId(), manifest.token(), manifest.rows(), current.versionId());
    }

    private record CurrentManifest(Manifest manifest, String etag, String versionId) {
    }
}
