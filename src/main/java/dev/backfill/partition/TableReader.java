package dev.backfill.partition;

import dev.backfill.Json;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import dev.backfill.store.ObjectStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Reads a table's partitions as they were at an instant (time travel), through bucket versioning: for each
 * partition asked for, the {@code _manifest.json} version that was current at that instant ({@link ManifestAsOf}
 * says which, to the nanosecond within S3's one-second listing), then exactly the part versions it lists. A
 * partition whose manifest did not exist yet, or was deleted, at that instant is absent.
 *
 * <p>Cost grows with the partitions read, not with the table's history: one {@code ListObjectVersions} per partition
 * whose prefix is its manifest key (so it lists that key's versions only, one page per 1,000 of them), the GET of
 * the chosen manifest version, and of manifest versions listed in the instant's own second.
 */
public final class TableReader {

    private final ObjectStore store;

    /** One partition as of the instant: which manifest version, and the manifest (its parts, run and facts). */
    public record PartitionSnapshot(String label, String manifestVersionId, Manifest manifest) {

        public PartitionSnapshot {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(manifest, "manifest");
        }
    }

    public TableReader(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The partitions of {@code table} with these labels that existed at {@code instant}, by label. */
    public NavigableMap<String, PartitionSnapshot> read(String table, Collection<String> labels, Instant instant) {
        NavigableMap<String, PartitionSnapshot> partitions = new TreeMap<>();
        for (String label : labels) {
            partition(new PartitionPath(table, label), instant).ifPresent(found -> partitions.put(label, found));
        }
        return partitions;
    }

    /** One partition as it was at {@code instant}, or empty when it did not exist then. */
    public Optional<PartitionSnapshot> partition(PartitionPath partition, Instant instant) {
        String key = partition.manifestKey();
        List<ObjectVersionSummary> versions = store.listVersions(key).stream()
                .filter(version -> version.key().equals(key))
                .toList();
        Map<String, Manifest> read = new HashMap<>();
        Function<ObjectVersionSummary, Manifest> manifest = version -> read.computeIfAbsent(version.versionId(),
                id -> manifest(version));
        return ManifestAsOf.current(versions, instant, manifest)
                .map(version -> new PartitionSnapshot(partition.label(), version.versionId(), manifest.apply(version)));
    }

    /** The rows of a partition snapshot: every non-blank line of its parts, in part order. */
    public List<String> lines(PartitionSnapshot partition) {
        List<String> lines = new ArrayList<>();
        for (Manifest.Part part : partition.manifest().parts()) {
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

    private Manifest manifest(ObjectVersionSummary version) {
        return store.getVersion(version.key(), version.versionId())
                .map(stored -> Json.read(stored.content(), Manifest.class))
                .orElseThrow(() -> new IllegalStateException("Manifest " + version.key() + " version "
                        + version.versionId() + " was listed but cannot be read"));
    }
}
