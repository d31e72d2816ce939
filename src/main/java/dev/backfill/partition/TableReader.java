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
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads a table as it was at an instant (time travel), through bucket versioning: for each partition, the
 * {@code _manifest.json} version that was current at that instant, then exactly the part versions it lists. A
 * partition whose manifest did not exist yet, or was deleted, at that instant is absent.
 *
 * <p>S3 lists {@code LastModified} to the second. For a manifest version listed in the same second as the instant,
 * the manifest's own {@code committedAt} decides (the writer's clock, to the nanosecond); only for a delete marker in
 * that second does the second alone decide.
 */
public final class TableReader {

    private final ObjectStore store;

    /** One partition as of the instant: the manifest version and the rows of its parts, in part order. */
    public record PartitionSnapshot(String label, String manifestVersionId, Manifest manifest, List<String> lines) {

        public PartitionSnapshot {
            lines = List.copyOf(lines);
        }
    }

    public TableReader(ObjectStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Every partition of {@code table} as of {@code instant}, by label. */
    public NavigableMap<String, PartitionSnapshot> read(String table, Instant instant) {
        NavigableMap<String, PartitionSnapshot> partitions = new TreeMap<>();
        Set<String> decided = new HashSet<>();
        // Newest first within a key: the first version written at or before the instant is the one that was current.
        for (ObjectVersionSummary version : store.listVersions(PartitionPath.tablePrefix(table))) {
            if (!version.key().endsWith("/" + PartitionPath.MANIFEST) || decided.contains(version.key())) {
                continue;
            }
            Instant listed = version.lastModified();
            if (listed.isAfter(instant)) {
                continue;
            }
            if (version.deleteMarker()) {
                decided.add(version.key());
                continue;
            }
            Manifest manifest = manifest(version);
            boolean sameSecond = listed.plusSeconds(1).isAfter(instant);
            if (sameSecond && manifest.committedAt() != null && manifest.committedAt().isAfter(instant)) {
                continue;
            }
            decided.add(version.key());
            partitions.put(manifest.window().label(),
                    new PartitionSnapshot(manifest.window().label(), version.versionId(), manifest, lines(manifest)));
        }
        return partitions;
    }

    private Manifest manifest(ObjectVersionSummary version) {
        return store.getVersion(version.key(), version.versionId())
                .map(stored -> Json.read(stored.content(), Manifest.class))
                .orElseThrow(() -> new IllegalStateException("Manifest " + version.key() + " version "
                        + version.versionId() + " was listed but cannot be read"));
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
