package dev.backfill.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.testing.Gzip;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowWorker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a scenario's partitions hold, against a fault-free run: lost (no manifest), differing bytes, duplicated rows,
 * orphans (objects under the prefix the manifest does not list).
 */
final class PartitionAudit {

    /** The counts of one audit; every field is 0 when the partitions are exactly the fault-free ones. */
    record Result(int partitions, int lost, int differing, long duplicateRows, int orphans) {
        boolean clean() {
            return lost == 0 && differing == 0 && duplicateRows == 0 && orphans == 0;
        }
    }

    private PartitionAudit() {
    }

    /** The part bytes of each day as a fault-free worker commits them over the demo input, by label. */
    static Map<String, byte[]> reference(List<LocalDate> days) {
        ObjectStore store = new InMemoryObjectStore(Clock.systemUTC());
        WindowWorker worker = new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
                new RunLedger(store), RateBudget::unlimited, Clock.systemUTC(), () -> "ref", ChaosRig.CODE_VERSION);
        Map<String, byte[]> parts = new TreeMap<>();
        for (LocalDate day : days) {
            DemoEventGenerator.standard().writeDays(store, day, day.plusDays(1));
            Window window = Window.day(day, ZoneOffset.UTC);
            worker.process(WindowMessage.of("reference", DailyEventCounts.NAME, window, 1), 1);
            parts.put(day.toString(), partBytes(store, PartitionPath.of(DailyEventCounts.NAME, window)).orElseThrow());
        }
        return parts;
    }

    /** Audits {@code expected}'s days in {@code store}. */
    static Result audit(ObjectStore store, Map<String, byte[]> expected) {
        int lost = 0;
        int differing = 0;
        long duplicates = 0;
        int orphans = 0;
        for (Map.Entry<String, byte[]> day : expected.entrySet()) {
            PartitionPath path = new PartitionPath(DailyEventCounts.NAME, day.getKey());
            Optional<Manifest> manifest = manifest(store, path);
            if (manifest.isEmpty()) {
                lost++;
                continue;
            }
            byte[] bytes = partBytes(store, path).orElseThrow();
            if (!Arrays.equals(bytes, day.getValue())) {
                differing++;
            }
            duplicates += duplicateRows(bytes);
            orphans += orphans(store, path, manifest.get());
        }
        return new Result(expected.size(), lost, differing, duplicates, orphans);
    }

    static Optional<Manifest> manifest(ObjectStore store, PartitionPath path) {
        return store.get(path.manifestKey()).map(o -> Json.read(o.content(), Manifest.class));
    }

    /** Objects under the partition's prefix that are neither its manifest nor a part it lists. */
    static int orphans(ObjectStore store, PartitionPath path, Manifest manifest) {
        Set<String> listed = new HashSet<>();
        listed.add(path.manifestKey());
        manifest.parts().forEach(p -> listed.add(p.key()));
        List<String> orphans = store.list(path.prefix()).stream().map(ObjectSummary::key)
                .filter(k -> !listed.contains(k)).toList();
        if (!orphans.isEmpty()) {
            System.err.println("chaos: orphans under " + path.prefix() + " (manifest " + manifest.attempt() + "): "
                    + orphans);
        }
        return orphans.size();
    }

    /** The bytes of the manifest's parts, in order, each read by the version it lists. */
    static Optional<byte[]> partBytes(ObjectStore store, PartitionPath path) {
        return manifest(store, path).map(manifest -> {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (Manifest.Part part : manifest.parts()) {
                byte[] content = (part.versionId() == null ? store.get(part.key())
                        : store.getVersion(part.key(), part.versionId())).orElseThrow(() -> new IllegalStateException(
                        "Part " + part.key() + " version " + part.versionId() + " listed but gone")).content();
                all.writeBytes(content);
            }
            return all.toByteArray();
        });
    }

    /** Rows beyond the first with the same (dt, type): a window's row counted twice. */
    static long duplicateRows(byte[] gzipParts) {
        Set<String> seen = new HashSet<>();
        long duplicates = 0;
        for (String line : Gzip.lines(gzipParts)) {
            JsonNode row = json(line);
            if (!seen.add(row.path("dt").asText() + "/" + row.path("type").asText())) {
                duplicates++;
            }
        }
        return duplicates;
    }

    private static JsonNode json(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
