package dev.backfill.partition;

import dev.backfill.Json;
import dev.backfill.partition.PartitionRows;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads what a staged run would publish, as {@link TableReader} reads a table: per window, the staged manifest and
 * the rows of its staged parts. For {@code diff} and {@code report} against {@code staged:<runId>}, and for the audit
 * gates of {@code publish}. Reads only.
 */
public final class StagedPartitions {

    private final ObjectStore store;

    public StagedPartitions(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * The staged partitions of run {@code runId} of {@code table} among {@code labels} (the run's plan), by label; a
     * window not staged (not yet run, discarded, or published since) is absent. One GET per label plus the parts.
     * {@link PartitionRows#manifestVersionId()} is the staged manifest's version.
     */
    public NavigableMap<String, PartitionRows> read(String table, String runId, Collection<String> labels) {
        NavigableMap<String, PartitionRows> staged = new TreeMap<>();
        for (String label : labels) {
            stagedSnapshot(new PartitionPath(table, label), runId).ifPresent(s -> staged.put(label, s));
        }
        return staged;
    }

    /** One staged partition with its rows, or empty when the run has not staged it. */
    public Optional<PartitionRows> stagedSnapshot(PartitionPath path, String runId) {
        return store.get(path.stagedManifestKey(runId)).map(object -> {
            StagedManifest staged = Json.read(object.content(), StagedManifest.class);
            return new PartitionRows(path.label(), object.version().versionId(), staged.manifest(),
                    lines(staged.manifest()));
        });
    }

    /** The partition as readers of {@code _manifest.json} see it now, with its rows, or empty when it has none. */
    public Optional<PartitionRows> currentSnapshot(PartitionPath path) {
        return store.get(path.manifestKey()).map(object -> {
            Manifest manifest = Json.read(object.content(), Manifest.class);
            return new PartitionRows(path.label(), object.version().versionId(), manifest, lines(manifest));
        });
    }

    private List<String> lines(Manifest manifest) {
        List<String> lines = new ArrayList<>();
        for (Manifest.Part part : manifest.parts()) {
            try (ObjectStream in = part.versionId() == null ? store.open(part.key())
                    : store.openVersion(part.key(), part.versionId());
                 BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                         StandardCharsets.UTF_8))) {
                reader.lines().filter(line -> !line.isBlank()).forEach(lines::add);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read part " + part.key() + " version " + part.versionId(), e);
            }
        }
        return lines;
    }
}
