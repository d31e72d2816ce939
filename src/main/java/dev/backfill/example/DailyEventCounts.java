package dev.backfill.example;

import dev.backfill.job.InputSpec;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobResult;
import dev.backfill.job.JobSettings;
import dev.backfill.job.OutputSchema;
import dev.backfill.job.SourceReader;
import dev.backfill.job.WindowJob;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backfill.BackfillException;
import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.job.OutputSchema.Column;
import dev.backfill.job.PartitionSink.PartWriter;
import dev.backfill.job.SourceReader.SourceObject;
import dev.backfill.window.Window;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The example job: per event type, how many events, distinct users and cents a day saw.
 *
 * <p>Reads {@code raw/events/dt=<day>/*.jsonl.gz}, one JSON event per line ({@code ts}, {@code user}, {@code type},
 * {@code amount_cents}); a raw partition {@code dt=<day>} holds the events of that UTC day. The window is a day of
 * {@code BACKFILL_ZONE}, so it reads every raw partition its instants overlap (in Europe/Berlin, the window
 * 2026-04-09 is [04-08T22:00Z, 04-09T22:00Z): raw days 04-08 and 04-09) and keeps an event of a partition the window
 * only partly covers when its {@code ts} lies in [start, end); a partition the window covers whole is taken whole
 * (its events' {@code ts} lie in its UTC day), so UTC windows never parse a timestamp.
 * It writes one line per type, sorted by type, so the output bytes depend only on the input:
 * {@code {"dt":"2026-04-09","type":"purchase","events":312,"users":287,"amount_cents":1534200}}. Inputs are streamed
 * through Jackson's parser, reading only the three fields counted ({@link EventLines}); memory grows only with the
 * number of distinct users: one dictionary of them ({@link ByteStringIds}), and per type a set of their ids
 * ({@link IdSet}). A window one of whose raw partitions has no input object is retried rather than
 * committed empty or short: that would silently replace good data.
 *
 * <p>Setting: {@code backfill.jobs.daily_event_counts.logic} ({@code BACKFILL_JOBS_DAILY_EVENT_COUNTS_LOGIC}),
 * {@code FIXED} (the default) or the demo's bug {@code REFUNDS_AS_PURCHASES}.
 */
@ApplicationScoped
public final class DailyEventCounts implements WindowJob {

    public static final String NAME = "daily_event_counts";
    public static final String SOURCE_PREFIX = "raw/events/";
    private static final String SUFFIX = ".jsonl.gz";

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

    /**
     * The job as configured.
     *
     * @throws IllegalStateException if the logic setting names no {@link Logic}
     */
    @Inject
    public DailyEventCounts(JobSettings settings) {
        this(logic(settings));
    }

    private static Logic logic(JobSettings settings) {
        String value = settings.text(NAME, "logic").orElse(Logic.FIXED.name()).trim();
        try {
            return Logic.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Setting " + JobSettings.property(NAME, "logic") + " must be one of "
                    + List.of(Logic.values()) + ": '" + value + "'");
        }
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

    /**
     * Every raw partition ({@code raw/events/dt=<UTC day>/*.jsonl.gz}) the window's instants overlap: one for a UTC
     * window, two for a day of any other zone.
     */
    @Override
    public InputSpec inputs(Window window) {
        return new InputSpec(RawDays.of(window).stream().map(DailyEventCounts::prefixOf).toList(), SUFFIX);
    }

    /** Key {@code type}; measures {@code events}, {@code users} (distinct) and {@code amount_cents}. */
    @Override
    public OutputSchema outputSchema() {
        return SCHEMA;
    }

    @Override
    public JobResult run(JobContext context) throws IOException {
        Window window = context.window();
        String label = window.label();
        Tally tally = new Tally();
        Map<LocalDate, List<SourceObject>> byDay = new LinkedHashMap<>();
        for (LocalDate day : RawDays.of(window)) {
            String prefix = prefixOf(day);
            List<SourceObject> inputs = context.source().list(prefix).stream()
                    .filter(object -> object.key().endsWith(SUFFIX))
                    .toList();
            if (inputs.isEmpty()) {
                // Replacing a good partition with an empty or short one is worse than waiting: the upstream may
                // deliver late.
                throw new RetryableException("No input objects under " + prefix + ": the upstream has not delivered "
                        + "window " + label + " (yet)");
            }
            byDay.put(day, inputs);
        }
        long rowsRead = 0;
        for (Map.Entry<LocalDate, List<SourceObject>> day : byDay.entrySet()) {
            RawDays.EventFilter filter = RawDays.filter(day.getKey(), window);
            for (SourceObject object : day.getValue()) {
                rowsRead += aggregate(context.source(), object, filter, tally);
            }
        }

        try (PartWriter part = context.sink().openPart()) {
            for (Map.Entry<String, Counts> entry : tally.byType.entrySet()) {
                part.writeLine(outputLine(label, entry.getKey(), entry.getValue()));
            }

            return new JobResult(rowsRead, part.rows());
        }
    }

    private long aggregate(SourceReader source, SourceObject object, RawDays.EventFilter filter, Tally tally)
            throws IOException {
        try (InputStream raw = source.open(object);
             InputStream events = new GZIPInputStream(raw, 64 * 1024)) {
            EventLines lines = new EventLines(MAPPER, object.key());
            if (filter == RawDays.WHOLE_DAY) {
                return lines.read(events, tally::add);
            }
            return lines.read(events, event -> {
                if (filter.keeps(event.ts(), object.key())) {
                    tally.add(event);
                }
            });
        }
    }

    /** The raw partition of UTC day {@code day}. */
    public static String prefixOf(LocalDate day) {
        return SOURCE_PREFIX + "dt=" + day + "/";
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
        final IdSet users = new IdSet();
    }

    /**
     * The counts by type of the window so far. The few types of a day are found by their bytes, without decoding
     * them, in a short list tried first; the counted type (refunds are purchases under the demo's bug) is decided
     * once per type.
     */
    private final class Tally {
        private static final int LISTED = 8;

        final Map<String, Counts> byType = new TreeMap<>();
        /** Every user of the window, each under one id, whichever types it has events of. */
        private final ByteStringIds users = new ByteStringIds();
        private final byte[][] listedTypes = new byte[LISTED][];
        private final int[] listedLengths = new int[LISTED];
        private final long[] listedFirst8 = new long[LISTED];
        private final Counts[] listedCounts = new Counts[LISTED];
        private int listed;

        void add(EventLines.Event event) {
            Counts counts = find(event);
            counts.events++;
            counts.users.add(users.id(event.userBytes, event.userFrom, event.userLength), users.size());
            counts.amountCents += event.amountCents;
        }

        private Counts find(EventLines.Event event) {
            // A type's length and first 8 bytes as two numbers: usually the whole type, compared in two instructions.
            int length = event.typeLength;
            long first8 = ByteStringIds.littleEndian(event.typeBytes, event.typeFrom, Math.min(length, Long.BYTES));
            for (int i = 0; i < listed; i++) {
                if (listedLengths[i] == length && listedFirst8[i] == first8
                        && (length <= Long.BYTES || event.typeEquals(listedTypes[i]))) {
                    return listedCounts[i];
                }
            }
            String type = event.type();
            String counted = logic == Logic.REFUNDS_AS_PURCHASES && type.equals("refund") ? "purchase" : type;
            Counts counts = byType.computeIfAbsent(counted, t -> new Counts());
            if (listed < LISTED) {
                listedLengths[listed] = length;
                listedFirst8[listed] = first8;
                listedTypes[listed] = event.typeCopy();
                listedCounts[listed++] = counts;
            }
            return counts;
        }
    }
}
