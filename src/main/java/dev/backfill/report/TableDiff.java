package dev.backfill.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import dev.backfill.job.OutputSchema;
import dev.backfill.job.WindowJob;
import dev.backfill.partition.TableReader;
import dev.backfill.partition.PartitionRows;
import dev.backfill.partition.StagedPartitions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares a job's table between two instants over a range of days, row by row by the keys of its
 * {@link OutputSchema}: reads each day's partition as of each instant through the {@link TableReader} (one
 * ListObjectVersions per day and side, then the part versions).
 */
public final class TableDiff {

    private final TableReader reader;
    private final StagedPartitions staged;

    public TableDiff(TableReader reader, StagedPartitions staged) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.staged = Objects.requireNonNull(staged, "staged");
    }

    /**
     * @param labels the days compared, oldest first; {@code start}/{@code end} name the requested range
     */
    public Diff compare(WindowJob job, String start, String end, List<String> labels, Diff.Side before,
                        Diff.Side after) {
        OutputSchema schema = job.outputSchema();
        List<String> keys = schema.keys().stream().map(OutputSchema.Column::name).toList();
        List<String> measures = schema.measures().stream().map(OutputSchema.Column::name).toList();
        NavigableMap<String, PartitionRows> then = read(job, labels, before);
        NavigableMap<String, PartitionRows> now = read(job, labels, after);
        List<Diff.Day> days = new ArrayList<>();
        Map<String, Diff.Change> totals = zero(measures);
        List<String> appeared = new ArrayList<>();
        List<String> vanished = new ArrayList<>();
        for (String label : labels) {
            PartitionRows was = then.get(label);
            PartitionRows is = now.get(label);
            String presence = was == null ? is == null ? "absent" : "appeared" : is == null ? "vanished" : "both";
            if (presence.equals("appeared")) {
                appeared.add(label);
            } else if (presence.equals("vanished")) {
                vanished.add(label);
            }
            Diff.Day day = day(label, presence, was, is, keys, measures);
            days.add(day);
            measures.forEach(measure -> totals.merge(measure, day.totals().get(measure), Diff.Change::plus));
        }
        return new Diff(job.table(), job.name(), start, end, before, after, keys, measures, days, totals, appeared,
                vanished);
    }

    /** One side's partitions with their rows: the table as of the side's instant, or a run's staged output. */
    private NavigableMap<String, PartitionRows> read(WindowJob job, List<String> labels, Diff.Side side) {
        if (side.stagedRun() != null) {
            return staged.read(job.table(), side.stagedRun(), labels);
        }
        NavigableMap<String, PartitionRows> rows = new TreeMap<>();
        reader.read(job.table(), labels, side.asOf()).forEach((label, snapshot) -> rows.put(label,
                new PartitionRows(label, snapshot.manifestVersionId(), snapshot.manifest(), reader.lines(snapshot))));
        return rows;
    }

    private Diff.Day day(String label, String presence, PartitionRows was, PartitionRows is,
                         List<String> keys, List<String> measures) {
        Map<Map<String, String>, JsonNode> before = rows(was, keys);
        Map<Map<String, String>, JsonNode> after = rows(is, keys);
        Set<Map<String, String>> all = new LinkedHashSet<>(before.keySet());
        all.addAll(after.keySet());
        List<Diff.Row> rows = new ArrayList<>();
        Map<String, Diff.Change> totals = zero(measures);
        for (Map<String, String> key : all) {
            Map<String, Diff.Change> changes = new LinkedHashMap<>();
            for (String measure : measures) {
                Diff.Change change = Diff.Change.of(value(before.get(key), measure), value(after.get(key), measure));
                changes.put(measure, change);
                totals.merge(measure, change, Diff.Change::plus);
            }
            String status = !before.containsKey(key) ? "added" : !after.containsKey(key) ? "removed"
                    : changes.values().stream().anyMatch(Diff.Change::changed) ? "changed" : "same";
            rows.add(new Diff.Row(key, status, changes));
        }
        return new Diff.Day(label, presence, was == null ? null : was.manifest().runId(),
                is == null ? null : is.manifest().runId(), was == null ? null : was.manifest().codeVersion(),
                is == null ? null : is.manifest().codeVersion(), totals, rows);
    }

    /** A day's rows by key, in the order the job wrote them; empty when the partition is absent. */
    private Map<Map<String, String>, JsonNode> rows(PartitionRows partition, List<String> keys) {
        Map<Map<String, String>, JsonNode> rows = new LinkedHashMap<>();
        if (partition == null) {
            return rows;
        }
        for (String line : partition.lines()) {
            JsonNode row = parse(line);
            Map<String, String> key = new LinkedHashMap<>();
            keys.forEach(column -> key.put(column, row.path(column).asText()));
            rows.put(key, row);
        }
        return rows;
    }

    private static BigDecimal value(JsonNode row, String measure) {
        if (row == null) {
            return null;
        }
        JsonNode value = row.path(measure);
        return value.isNumber() ? value.decimalValue() : null;
    }

    /** Totals start as "no partition on either side", so a side counts only where it has rows. */
    private static Map<String, Diff.Change> zero(List<String> measures) {
        Map<String, Diff.Change> totals = new LinkedHashMap<>();
        measures.forEach(measure -> totals.put(measure, Diff.Change.of(null, null)));
        return totals;
    }

    private static JsonNode parse(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("A row of the table is not JSON (" + line.length() + " characters)", e);
        }
    }

    /** The instant each side is read as of, resolved once per request. */
    public static Diff.Side side(Snapshot snapshot, Instant now) {
        return new Diff.Side(snapshot.toString(), snapshot.instant(now),
                snapshot instanceof Snapshot.Staged staged ? staged.runId() : null);
    }
}
