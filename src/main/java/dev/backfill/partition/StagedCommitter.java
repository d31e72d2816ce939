package dev.backfill.partition;

import dev.backfill.Json;
import dev.backfill.partition.PartitionCommitter.CommitRequest;
import dev.backfill.partition.PartitionCommitter.PartitionWriter;
import dev.backfill.partition.PartitionCommitter.Staged;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.ObjectStore.StoredObject;
import dev.backfill.store.PreconditionFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Commits a window of a staged run: the job's parts and a manifest go under the run's {@code _staged-<runId>.} names
 * of the partition (see {@link PartitionPath#stagedPrefix}), which neither readers of {@code _manifest.json} nor
 * prefix readers see, and which the commits of other runs do not delete. The live partition is not touched: nothing
 * is copied, no manifest replaced, nothing deleted there.
 *
 * <ol>
 *   <li>Read {@code _manifest.json} (ETag E0). If a newer run owns the partition, stop: superseded. If this run owns
 *       it (it was published already), acknowledge.
 *   <li>If the run's staged manifest exists (an earlier delivery staged the window), acknowledge it.
 *   <li>Run the job into local files; upload them under the run's staged names.
 *   <li>Write the staged manifest with {@code If-None-Match: *}; it records E0 (and its version), which
 *       {@code publish} will require to still be current. When another delivery won, delete this attempt's parts
 *       and acknowledge the winner's.
 * </ol>
 */
public final class StagedCommitter {

    private final ObjectStore store;
    private final Clock clock;

    public StagedCommitter(ObjectStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs {@code writer} and stages its parts for the request's run.
     *
     * @return {@link CommitOutcome.Staged}, or {@link CommitOutcome.Superseded} when a newer run (or this run's
     *         publish) owns the partition
     * @throws IOException if the writer fails; nothing was staged
     */
    public CommitOutcome stage(PartitionPath path, CommitRequest request, PartitionWriter writer) throws IOException {
        Optional<StoredObject> current = store.get(path.manifestKey());
        Optional<Manifest> base = current.map(object -> Json.read(object.content(), Manifest.class));
        if (base.isPresent() && (base.get().token().isNewerThan(request.token())
                || base.get().runId().equals(request.runId()))) {
            return new CommitOutcome.Superseded(base.get().runId(), base.get().token(), base.get().rows(),
                    current.get().version().versionId());
        }
        Optional<StagedManifest> already = read(path, request.runId());
        if (already.isPresent()) {
            return new CommitOutcome.Staged(already.get(), null);
        }
        try (StagingSink sink = new StagingSink()) {
            Staged staged = writer.write(sink);
            List<Manifest.Part> parts = new ArrayList<>();
            for (StagingSink.LocalPart part : sink.parts()) {
                ObjectVersion put = store.put(path.runStagedPartKey(request.runId(), part.index(), request.token()),
                        part.file());
                parts.add(new Manifest.Part(put.key(), put.versionId(), put.etag(), Files.size(part.file()),
                        part.rows()));
            }
            StagedManifest manifest = new StagedManifest(StagedManifest.VERSION, manifest(path, request, parts, staged),
                    current.map(object -> object.version().etag()).orElse(null),
                    current.map(object -> object.version().versionId()).orElse(null),
                    base.map(Manifest::runId).orElse(null));
            try {
                store.putIfAbsent(path.stagedManifestKey(request.runId()), Json.write(manifest));
                return new CommitOutcome.Staged(manifest, staged.result());
            } catch (PreconditionFailedException e) {
                StagedManifest stands = read(path, request.runId()).orElseThrow(() -> e);
                if (stands.manifest().token().equals(request.token())) {
                    // Our PUT landed and its answer was lost; the client's retry of it failed the condition. It lists
                    // these parts: deleting them would leave a staged manifest of missing parts.
                    return new CommitOutcome.Staged(stands, staged.result());
                }
                // Another delivery of this window staged it first; theirs stands, these parts are not listed.
                store.deleteAll(parts.stream().map(Manifest.Part::key).toList());
                return new CommitOutcome.Staged(stands, null);
            }
        }
    }

    /** The run's staged manifest of a partition, or empty when the window is not staged (or was discarded). */
    public Optional<StagedManifest> read(PartitionPath path, String runId) {
        return store.get(path.stagedManifestKey(runId))
                .map(object -> Json.read(object.content(), StagedManifest.class));
    }

    private Manifest manifest(PartitionPath path, CommitRequest request, List<Manifest.Part> parts, Staged staged) {
        long rows = parts.stream().mapToLong(Manifest.Part::rows).sum();
        return new Manifest(Manifest.VERSION, path.table(), request.job(),
                new Manifest.WindowRef(request.window().label(), request.window().start(), request.window().end()),
                request.runId(), request.token().fence(), request.token().toString(), request.codeVersion(), rows,
                parts, staged.inputs(), request.startedAt(), clock.instant());
    }
}
