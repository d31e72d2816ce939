package dev.backfill.example;

import dev.backfill.job.InputRef;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobResult;
import dev.backfill.job.ObjectStoreSourceReader;
import dev.backfill.job.OutputSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.BackfillException;
import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.testing.Gzip;
import dev.backfill.window.Window;
import dev.backfill.testing.CapturingSink;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The example job on small hand-made input, its source reader, and the demo input generator. */
class DailyEventCountsTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_10 = LocalDate.of(2026, 4, 10);
    private static final LocalDate APR_11_SATURDAY = LocalDate.of(2026, 4, 11);
    private static final Window APR_09_WINDOW = Window.day(APR_09, ZoneOffset.UTC);
    private static final String APR_09_INPUT = "raw/events/dt=2026-04-09/";
    private static final String FILE_0 = APR_09_INPUT + "events-0000.jsonl.gz";
    private static final String FILE_1 = APR_09_INPUT + "events-0001.jsonl.gz";
    private static final byte[] APR_09_DEMO = DemoEventGenerator.standard().day(APR_09);
    private static final Pattern TYPE = Pattern.compile("\"type\":\"([a-z]+)\"");
    private static final Pattern TS = Pattern.compile("\"ts\":\"([^\"]+)\"");
    private static final Pattern EVENTS = Pattern.compile("\"events\":(\\d+)");

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final AtomicInteger permits = new AtomicInteger();
    private final ObjectStoreSourceReader source = new ObjectStoreSourceReader(store, permits::incrementAndGet);
    private final CapturingSink sink = new CapturingSink();

    @Test
    void run_twoInputFiles_writesOneLinePerTypeSortedByType() throws IOException {
        writeHandMadeInput();

        JobResult result = DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink));

        assertThat(sink.parts()).containsExactly(List.of(
                "{\"dt\":\"2026-04-09\",\"type\":\"cart\",\"events\":1,\"users\":1,\"amount_cents\":0}",
                "{\"dt\":\"2026-04-09\",\"type\":\"purchase\",\"events\":2,\"users\":2,\"amount_cents\":4000}",
                "{\"dt\":\"2026-04-09\",\"type\":\"refund\",\"events\":1,\"users\":1,\"amount_cents\":700}",
                "{\"dt\":\"2026-04-09\",\"type\":\"view\",\"events\":3,\"users\":2,\"amount_cents\":0}"));
        assertThat(result).isEqualTo(new JobResult(7, 4));
    }

    @Test
    void outputSchema_declaresEveryMemberOfEveryLineWithItsType() throws IOException {
        writeHandMadeInput();
        OutputSchema schema = DailyEventCounts.fixed().outputSchema();

        DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink));

        assertThat(schema.keys()).extracting(OutputSchema.Column::name).containsExactly("type");
        assertThat(schema.measures()).extracting(OutputSchema.Column::name)
                .containsExactly("events", "users", "amount_cents");
        for (String line : sink.parts().get(0)) {
            JsonNode row = Json.mapper().readTree(line);
            List<String> members = new ArrayList<>();
            row.fieldNames().forEachRemaining(members::add);
            assertThat(members).containsExactly("dt", "type", "events", "users", "amount_cents");
            assertThat(row.get("dt").isTextual()).isTrue();
            schema.columns().forEach(column -> assertThat(row.get(column.name()).isIntegralNumber())
                    .as(line + " " + column.name())
                    .isEqualTo(column.type() == OutputSchema.ColumnType.BIGINT));
        }
    }

    @Test
    void run_refundsAsPurchasesLogic_mergesRefundsIntoPurchase() throws IOException {
        writeHandMadeInput();

        new DailyEventCounts(DailyEventCounts.Logic.REFUNDS_AS_PURCHASES)
                .run(new JobContext(APR_09_WINDOW, source, sink));

        assertThat(sink.parts()).containsExactly(List.of(
                "{\"dt\":\"2026-04-09\",\"type\":\"cart\",\"events\":1,\"users\":1,\"amount_cents\":0}",
                "{\"dt\":\"2026-04-09\",\"type\":\"purchase\",\"events\":3,\"users\":3,\"amount_cents\":4700}",
                "{\"dt\":\"2026-04-09\",\"type\":\"view\",\"events\":3,\"users\":2,\"amount_cents\":0}"));
    }

    @Test
    void run_blankLines_areSkipped() throws IOException {
        store.put(FILE_0, Gzip.ofLines("", "{\"user\":\"u1\",\"type\":\"view\"}", "   ", ""));

        DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink));

        assertThat(sink.parts()).containsExactly(List.of(
                "{\"dt\":\"2026-04-09\",\"type\":\"view\",\"events\":1,\"users\":1,\"amount_cents\":0}"));
    }

    @Test
    void run_lineThatIsNotJson_failsNamingKeyAndLine() {
        store.put(FILE_0, Gzip.ofLines("{\"user\":\"u1\",\"type\":\"view\"}"));
        store.put(FILE_1, Gzip.ofLines("{\"user\":\"u1\",\"type\":\"view\"}", "{not json"));

        assertThatThrownBy(() -> DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink)))
                .isExactlyInstanceOf(BackfillException.class)
                .hasMessage("Malformed event in " + FILE_1 + " at line 2: not JSON");
        assertThat(sink.parts()).isEmpty();
    }

    @Test
    void run_eventWithoutUserOrType_failsNamingKeyAndLine() {
        store.put(FILE_0, Gzip.ofLines("{\"user\":\"u1\",\"type\":\"view\"}", "{\"type\":\"view\"}"));

        assertThatThrownBy(() -> DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink)))
                .isExactlyInstanceOf(BackfillException.class)
                .hasMessage("Malformed event in " + FILE_0 + " at line 2: 'type' and 'user' are required");
    }

    @Test
    void run_noInputObjects_isRetryableAndWritesNothing() {
        store.put(APR_09_INPUT + "_SUCCESS", new byte[0]);
        store.put("raw/events/dt=2026-04-10/events-0000.jsonl.gz", Gzip.ofLines("{\"user\":\"u1\",\"type\":\"view\"}"));

        assertThatThrownBy(() -> DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink)))
                .isInstanceOf(RetryableException.class)
                .hasMessage("No input objects under raw/events/dt=2026-04-09/: the upstream has not delivered "
                        + "window 2026-04-09 (yet)");
        assertThat(sink.parts()).isEmpty();
    }

    @Test
    void sourceReader_recordsTheExactVersionOfEachObjectRead() throws IOException {
        store.put(FILE_0, Gzip.ofLines("{\"user\":\"u1\",\"type\":\"view\"}"));
        ObjectVersion rewritten = store.put(FILE_0, Gzip.ofLines("{\"user\":\"u2\",\"type\":\"view\"}"));
        ObjectVersion second = store.put(FILE_1, Gzip.ofLines("{\"user\":\"u3\",\"type\":\"cart\"}"));

        DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink));

        assertThat(source.inputsRead()).containsExactly(
                new InputRef(FILE_0, rewritten.versionId()), new InputRef(FILE_1, second.versionId()));
    }

    @Test
    void sourceReader_spendsOnePermitPerListAndPerOpen() throws IOException {
        writeHandMadeInput();

        DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink));

        assertThat(permits).hasValue(3);
    }

    @Test
    void generator_sameDay_givesTheSameBytes_otherDayOrSeedOtherBytes() {
        assertThat(DemoEventGenerator.standard().day(APR_09)).isEqualTo(APR_09_DEMO);
        assertThat(DemoEventGenerator.standard().day(APR_10)).isNotEqualTo(APR_09_DEMO);
        assertThat(new DemoEventGenerator(1L, 1500).day(APR_09)).isNotEqualTo(APR_09_DEMO);
    }

    @Test
    void generator_weekday_givesThreeToFourThousandEventsOfAllFourTypesInTimeOrder() {
        List<String> events = Gzip.lines(APR_09_DEMO);

        assertThat(events).hasSizeBetween(3_000, 3_999);
        assertThat(events.stream().map(line -> field(line, TYPE)).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("view", "cart", "purchase", "refund");
        List<Instant> times = events.stream().map(line -> Instant.parse(field(line, TS))).toList();
        assertThat(times).isSorted();
        assertThat(times.get(0)).isAfterOrEqualTo(APR_09_WINDOW.start());
        assertThat(times.get(times.size() - 1)).isBefore(APR_09_WINDOW.end());
    }

    @Test
    void generator_weekend_isBusier() {
        assertThat(Gzip.lines(DemoEventGenerator.standard().day(APR_11_SATURDAY))).hasSizeBetween(4_000, 4_999);
    }

    @Test
    void generator_writeDays_writesOneObjectPerDayAndTheJobCountsEveryEvent() throws IOException {
        int written = DemoEventGenerator.standard().writeDays(store, APR_09, APR_11_SATURDAY);

        JobResult result = DailyEventCounts.fixed().run(new JobContext(APR_09_WINDOW, source, sink));

        assertThat(written).isEqualTo(2);
        assertThat(store.list(DailyEventCounts.SOURCE_PREFIX)).extracting(ObjectSummary::key)
                .containsExactly(FILE_0, DemoEventGenerator.keyOf(APR_10));
        assertThat(store.get(FILE_0).orElseThrow().content()).isEqualTo(APR_09_DEMO);
        long events = sink.parts().get(0).stream().mapToLong(line -> Long.parseLong(field(line, EVENTS))).sum();
        assertThat(events).isEqualTo(result.rowsRead()).isEqualTo(Gzip.lines(APR_09_DEMO).size());
    }

    /**
     * Seven events over two files and one object that is not input: views by u1, u2, u1; purchases of 1500 by u1
     * and 2500 by u3; a refund of 700 by u2; a cart by u3.
     */
    private void writeHandMadeInput() {
        store.put(FILE_0, Gzip.ofLines(
                "{\"ts\":\"2026-04-09T08:00:00Z\",\"user\":\"u1\",\"type\":\"view\",\"amount_cents\":0}",
                "{\"ts\":\"2026-04-09T08:01:00Z\",\"user\":\"u2\",\"type\":\"view\"}",
                "{\"ts\":\"2026-04-09T08:02:00Z\",\"user\":\"u1\",\"type\":\"purchase\",\"amount_cents\":1500}"));
        store.put(FILE_1, Gzip.ofLines(
                "{\"ts\":\"2026-04-09T09:00:00Z\",\"user\":\"u1\",\"type\":\"view\",\"amount_cents\":0}",
                "{\"ts\":\"2026-04-09T09:01:00Z\",\"user\":\"u3\",\"type\":\"purchase\",\"amount_cents\":2500}",
                "{\"ts\":\"2026-04-09T09:02:00Z\",\"user\":\"u2\",\"type\":\"refund\",\"amount_cents\":700}",
                "{\"ts\":\"2026-04-09T09:03:00Z\",\"user\":\"u3\",\"type\":\"cart\",\"amount_cents\":0}"));
        store.put(APR_09_INPUT + "_SUCCESS", new byte[0]);
    }
    /** The value of a string or number field of a flat JSON line. */
    private static String field(String jsonLine, Pattern field) {
        Matcher m = field.matcher(jsonLine);
        if (!m.find()) {
            throw new AssertionError("No " + field + " in " + jsonLine);
        }
        return m.group(1);
    }
}
