package dev.backfill.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.InvalidRequestException;
import dev.backfill.Json;
import dev.backfill.action.DispatcherActions.TimeTravel;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.WindowJob;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.TableReader;
import dev.backfill.partition.TableReader.PartitionSnapshot;
import dev.backfill.store.ObjectStore;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;

/**
 * {@code {"action":"read","table":..,"day":..|"start":..,"end":..,"asOf"?:..}}: the table's rows as they were at
 * {@code asOf} (default: now), through each day's manifest version current then and the part versions it lists,
 * with each partition's facts. Over the row limit the answer lists the part objects (key, version id) with signed
 * GET URLs instead of the rows. Reads only: one ListObjectVersions per day (of its manifest key alone), the manifest
 * versions and, under the limit, the parts.
 */
public final class ReadAction implements Action<ReadAction.Request> {

    private final JobRegistry jobs;
    private final DispatchPlanner planner;
    private final TableReader reader;
    private final ObjectStore store;
    private final Clock clock;
    private final TimeTravel settings;

    public ReadAction(JobRegistry jobs, DispatchPlanner planner, TableReader reader, ObjectStore store, Clock clock,
                      TimeTravel settings) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public record Request(WindowJob job, WindowRange range, List<Window> days, Instant asOf) {
    }

    /**
     * @param partitions each day found, with the facts of the commit current at {@code asOf}
     * @param absent     days without a partition at {@code asOf}
     * @param rows       rows of the partitions found (their manifests' counts)
     * @param records    the rows, day by day, when {@code rows} is at most {@code rowLimit}; else null
     * @param objects    the part objects to fetch instead, when {@code rows} is over {@code rowLimit}; else null
     */
    public record Answer(String table, String job, Instant asOf, String first, String last, int days,
                         List<Partition> partitions, List<String> absent, long rows, int rowLimit,
                         List<JsonNode> records, List<PartObject> objects) {
    }

    /** A partition as of the instant: the commit that wrote it and the manifest version that records it. */
    public record Partition(String day, String runId, String job, String codeVersion, Instant committedAt,
                            String manifestVersionId, long rows) {
    }

    /** One part to fetch: its key and version, and a signed GET URL where the store signs (null otherwise). */
    public record PartObject(String day, String key, String versionId, long rows, long size, String url) {
    }

    @Override
    public String name() {
        return "read";
    }

    @Override
    public Request parse(ActionInput input) {
        input.allow("table", "day", "start", "end", "asOf");
        WindowJob job = jobs.requireTable(input.text("table"));
        WindowRange range = range(input);
        List<Window> days = planner.windows(job, range);
        Instant now = clock.instant();
        Instant asOf = TimeTravelChecks.readable("asOf", input.optionalInstant("asOf").orElse(now), now, settings);
        return new Request(job, range, days, asOf);
    }

    /** {@code day}, or {@code start} and {@code end} (exclusive). */
    static WindowRange range(ActionInput input) {
        if (input.has("day")) {
            if (input.has("start") || input.has("end")) {
                throw new InvalidRequestException("Give either day or start and end, not both");
            }
            LocalDate day = input.date("day");
            if (day.equals(LocalDate.MAX)) {
                throw new InvalidRequestException("Cannot read day " + day + ": it is the last day there is, so it "
                        + "has no end (expected yyyy-MM-dd)");
            }
            return WindowRange.of(day, day.plusDays(1));
        }
        if (!input.has("start") && !input.has("end")) {
            throw new InvalidRequestException("Missing day (or start and end), expected yyyy-MM-dd");
        }
        return WindowRange.of(input.date("start"), input.date("end"));
    }

    @Override
    public Answer run(Request request) {
        List<String> labels = request.days().stream().map(Window::label).toList();
        NavigableMap<String, PartitionSnapshot> found = reader.read(request.job().table(), labels, request.asOf());
        List<Partition> partitions = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        long rows = 0;
        for (String label : labels) {
            PartitionSnapshot partition = found.get(label);
            if (partition == null) {
                absent.add(label);
                continue;
            }
            Manifest manifest = partition.manifest();
            partitions.add(new Partition(label, manifest.runId(), manifest.job(), manifest.codeVersion(),
                    manifest.committedAt(), partition.manifestVersionId(), manifest.rows()));
            rows += manifest.rows();
        }
        boolean inline = rows <= settings.rowLimit();
        return new Answer(request.job().table(), request.job().name(), request.asOf(), labels.get(0),
                labels.get(labels.size() - 1), labels.size(), partitions, absent, rows, settings.rowLimit(),
                inline ? records(found) : null, inline ? null : objects(found));
    }

    private List<JsonNode> records(NavigableMap<String, PartitionSnapshot> found) {
        List<JsonNode> records = new ArrayList<>();
        for (PartitionSnapshot partition : found.values()) {
            for (String line : reader.lines(partition)) {
                try {
                    records.add(Json.mapper().readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("A row of " + partition.label() + " is not JSON", e);
                }
            }
        }
        return records;
    }

    private List<PartObject> objects(NavigableMap<String, PartitionSnapshot> found) {
        List<PartObject> objects = new ArrayList<>();
        for (PartitionSnapshot partition : found.values()) {
            for (Manifest.Part part : partition.manifest().parts()) {
                String url = store.presign(part.key(), part.versionId(), settings.urlTtl())
                        .map(Object::toString).orElse(null);
                objects.add(new PartObject(partition.label(), part.key(), part.versionId(), part.rows(), part.size(),
                        url));
            }
        }
        return objects;
    }
}
