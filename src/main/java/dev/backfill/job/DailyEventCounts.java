package dev.backfill.job;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.job.OutputSchema.Column;
import dev.backfill.job.PartitionSink.PartWriter;
import dev.backfill.job.SourceReader.SourceObject;
import dev.backfill.window.Window;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The example job: per event type, how many events, distinct users and cents a day saw.
 *
 * <p>Reads {@code raw/events/dt=<day>/*.jsonl.gz}, one JSON event per line ({@code ts}, {@code user}, {@code type},
 * {@code amount_cents}), and writes one line per type, sorted by type, so the output bytes depend only on the input:
 * {@code {"dt":"2026-04-09","type":"purchase","events":312,"users":287,"amount_cents":1534200}}. Inputs are streamed
 * through Jackson's parser, reading only the three fields counted ({@link EventLines}); memory grows only with the
 * number of distinct users per type. A window without input objects is retried rather than committed empty: an empty
 * partition would silently replace good data.
 */
public final class DailyEventCounts implements WindowJob {

    public static final String NAME = "daily_event_counts";
    public static final String SOURCE_PREFIX = "raw/events/";

    /** Which version of the job's logic runs. */
    public enum Logic {
        /** The correct logic. */
        FIXED,
        /** The bug of the demo story: refunds are counted as purchases, inflating purchase revenue. */
        REFUNDS_AS_PURCHASES
    }

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final OutputSchema SCHEMA = new OutputSchema(List.of(Column.string("type")),
            List.of(Column.bigint("events"), Column.bigint("users"), Column.bigint("amount_cents")));

    private final Logic logic;

    public DailyEventCounts(Logic logic) {
        this.logic = Objects.requireNonNull(logic, "logic");
    }

    public static DailyEventCounts fixed() {
        return new DailyEventCounts(Logic.FIXED);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String table() {
        return NAME;
    }

    /** The day's raw partition, {@code raw/events/dt=<day>/*.jsonl.gz}. */
    @Override
    public InputSpec inputs(Window window) {
        return InputSpec.under(SOURCE_PREFIX + "dt=" + window.label() + "/", ".jsonl.gz");
    }

    /** Key {@code type}; measures {@code events}, {@code users} (distinct) and {@code amount_cents}. */
    @Override
    public OutputSchema outputSchema() {
        return SCHEMA;
    }

    @Override
    public JobResult run(JobContext context) throws IOException {
        String label = context.window().label();
        Tally tally = new Tally();
        InputSpec spec = inputs(context.window());
        String prefix = spec.prefixes().get(0);
        List<SourceObject> inputs = context.source().list(prefix).stream()
                .filter(object -> spec.matches(object.key()))
                .toList();
        if (inputs.isEmpty()) {
            // Replacing a good partition with an empty one is worse than waiting: the upstream may deliver late.
            throw new RetryableException("No input objects under " + prefix + ": the upstream has not delivered "
                    + "window " + label + " (yet)");
        }
        long rowsRead = 0;
        for (SourceObject object : inputs) {
            rowsRead += aggregate(context.source(), object, tally);
        }

        try (PartWriter part = context.sink().openPart()) {
            for (Map.Entry<String, Counts> entry : tally.byType.entrySet()) {
                part.writeLine(outputLine(label, entry.getKey(), entry.getValue()));
            }

            return new JobResult(rowsRead, part.rows());
        }
    }

    private long aggregate(SourceReader source, SourceObject object, Tally tally) throws IOException {
        try (InputStream raw = source.open(object);
             InputStream events = new GZIPInputStream(raw, 64 * 1024)) {
            return new EventLines(MAPPER, object.key()).read(events, tally::add);
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
        final ByteStrings users = new ByteStrings();
    }

    /**
     * The counts by type of the window so far. The few types of a day are found by their bytes, without decoding
     * them, in a short list tried first; the counted type (refunds are purchases under the demo's bug) is decided
     * once per type.
     */
    private final class Tally {
        private static final int LISTED = 8;

        final Map<String, Counts> byType = new TreeMap<>();
        private final byte[][] listedTypes = new byte[LISTED][];
        private final Counts[] listedCounts = new Counts[LISTED];
        private int listed;

        void add(EventLines.Event event) {
            Counts counts = find(event);
            counts.events++;
            counts.users.add(event.userBytes, event.userFrom, event.userLength);
            counts.amountCents += event.amountCents;
        }

        private Counts find(EventLines.Event event) {
            for (int i = 0; i < listed; i++) {
                if (event.typeEquals(listedTypes[i])) {
                    return listedCounts[i];
                }
            }
            String type = event.type();
            String counted = logic == Logic.REFUNDS_AS_PURCHASES && type.equals("refund") ? "purchase" : type;
            Counts counts = byType.computeIfAbsent(counted, t -> new Counts());
            if (listed < LISTED) {
                listedTypes[listed] = event.typeCopy();
                listedCounts[listed++] = counts;
            }
            return counts;
        }
    }
}
