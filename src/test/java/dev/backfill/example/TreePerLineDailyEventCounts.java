package dev.backfill.example;

import dev.backfill.job.InputSpec;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobResult;
import dev.backfill.job.OutputSchema;
import dev.backfill.job.SourceReader;
import dev.backfill.job.WindowJob;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backfill.BackfillException;
import dev.backfill.Json;
import dev.backfill.job.PartitionSink.PartWriter;
import dev.backfill.job.SourceReader.SourceObject;
import dev.backfill.window.Window;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * {@link DailyEventCounts} as it was before it streamed: every line read as a tree. The reference the streamed job
 * must agree with, and the bench's "before".
 */
public final class TreePerLineDailyEventCounts implements WindowJob {

    private static final ObjectMapper MAPPER = Json.mapper();

    @Override
    public String name() {
        return DailyEventCounts.NAME;
    }

    @Override
    public String table() {
        return DailyEventCounts.NAME;
    }

    @Override
    public OutputSchema outputSchema() {
        return DailyEventCounts.fixed().outputSchema();
    }

    @Override
    public InputSpec inputs(Window window) {
        return DailyEventCounts.fixed().inputs(window);
    }

    @Override
    public JobResult run(JobContext context) throws IOException {
        Map<String, Counts> byType = new TreeMap<>();
        InputSpec spec = inputs(context.window());
        long rowsRead = 0;
        for (SourceObject object : context.source().list(spec.prefixes().get(0))) {
            if (spec.matches(object.key())) {
                rowsRead += aggregate(context.source(), object, byType);
            }
        }
        try (PartWriter part = context.sink().openPart()) {
            for (Map.Entry<String, Counts> entry : byType.entrySet()) {
                part.writeLine(outputLine(context.window().label(), entry.getKey(), entry.getValue()));
            }
            return new JobResult(rowsRead, part.rows());
        }
    }

    private static long aggregate(SourceReader source, SourceObject object, Map<String, Counts> byType)
            throws IOException {
        long lines = 0;
        try (InputStream raw = source.open(object);
             BufferedReader reader = new BufferedReader(
                     new InputStreamReader(new GZIPInputStream(raw, 64 * 1024), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines++;
                if (!line.isBlank()) {
                    JsonNode event = parse(line, object.key(), lines);
                    Counts counts = byType.computeIfAbsent(event.get("type").asText(), t -> new Counts());
                    counts.events++;
                    counts.users.add(event.get("user").asText());
                    counts.amountCents += event.path("amount_cents").asLong(0);
                }
            }
        }
        return lines;
    }

    private static JsonNode parse(String line, String key, long lineNumber) {
        try {
            JsonNode event = MAPPER.readTree(line);
            if (event == null || !event.isObject() || !event.hasNonNull("type") || !event.hasNonNull("user")) {
                throw new BackfillException(
                        "Malformed event in " + key + " at line " + lineNumber + ": 'type' and 'user' are required");
            }
            return event;
        } catch (IOException e) {
            throw new BackfillException("Malformed event in " + key + " at line " + lineNumber + ": not JSON");
        }
    }

    private static String outputLine(String dt, String type, Counts counts) throws IOException {
        StringWriter out = new StringWriter(96);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("dt", dt);
            json.writeStringField("type", type);
            json.writeNumberField("events", counts.events);
            json.writeNumberField("users", counts.users.size());
            json.writeNumberField("amount_cents", counts.amountCents);
            json.writeEndObject();
        }
        return out.toString();
    }

    private static final class Counts {
        long events;
        long amountCents;
        final Set<String> users = new HashSet<>();
    }
}
