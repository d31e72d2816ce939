package dev.backfill.example;

import dev.backfill.job.JobContext;
import dev.backfill.job.JobResult;
import dev.backfill.job.ObjectStoreSourceReader;
import dev.backfill.job.RateBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.BackfillException;
import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.CapturingSink;
import dev.backfill.testing.Gzip;
import dev.backfill.window.Window;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A day window of a zone other than UTC covers parts of two UTC days: the job reads both raw partitions and keeps
 * exactly the events whose {@code ts} lies in the window (issue 13, defect 9).
 */
class DailyEventCountsZoneTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati");
    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    /** Berlin's clocks go forward: a 23-hour day. */
    private static final LocalDate MAR_29 = LocalDate.of(2026, 3, 29);
    /** Berlin's clocks go back: a 25-hour day. */
    private static final LocalDate OCT_25 = LocalDate.of(2026, 10, 25);
    /** New York's clocks go forward. */
    private static final LocalDate MAR_08 = LocalDate.of(2026, 3, 8);

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final DemoEventGenerator generator = DemoEventGenerator.standard();

    static Stream<Arguments> zonedDays() {
        return Stream.of(
                Arguments.of(BERLIN, APR_09, "east of UTC"),
                Arguments.of(NEW_YORK, APR_09, "west of UTC"),
                Arguments.of(KIRITIMATI, APR_09, "14 hours east of UTC"),
                Arguments.of(BERLIN, MAR_29, "23-hour day east of UTC"),
                Arguments.of(BERLIN, OCT_25, "25-hour day east of UTC"),
                Arguments.of(NEW_YORK, MAR_08, "23-hour day west of UTC"));
    }

    @ParameterizedTest(name = "{2}: {0} {1}")
    @MethodSource("zonedDays")
    void run_aDayOfAZone_countsExactlyTheEventsWhoseTsLiesInIt(ZoneId zone, LocalDate day, String why)
            throws IOException {
        generator.writeDays(store, day.minusDays(1), day.plusDays(2));
        Window window = Window.day(day, zone);
        CapturingSink sink = new CapturingSink();

        JobResult result = DailyEventCounts.fixed().run(new JobContext(window,
                new ObjectStoreSourceReader(store, RateBudget.unlimited()), sink));

        Map<String, long[]> expected = expectedCounts(window);
        assertThat(counts(sink.lines())).isEqualTo(render(expected));
        assertThat(sink.lines()).allSatisfy(line -> assertThat(line).startsWith("{\"dt\":\"" + day + "\""));
        assertThat(result.rowsWritten()).isEqualTo(expected.size());
        assertThat(result.rowsRead()).as("both raw days are read whole").isEqualTo(
                lineCount(rawDay(window.start())) + lineCount(rawDay(window.end().minusNanos(1))));
    }

    @Test
    void inputs_ofABerlinDay_areTheTwoUtcDaysItOverlaps_andOfAUtcDay_itsOwn() {
        assertThat(DailyEventCounts.fixed().inputs(Window.day(APR_09, BERLIN)).prefixes())
                .containsExactly("raw/events/dt=2026-04-08/", "raw/events/dt=2026-04-09/");
        assertThat(DailyEventCounts.fixed().inputs(Window.day(APR_09, NEW_YORK)).prefixes())
                .containsExactly("raw/events/dt=2026-04-09/", "raw/events/dt=2026-04-10/");
        assertThat(DailyEventCounts.fixed().inputs(Window.day(APR_09, ZoneId.of("UTC"))).prefixes())
                .containsExactly("raw/events/dt=2026-04-09/");
    }

    @Test
    void run_aBerlinDayWhosePreviousUtcDayIsMissing_isRetried_notCommittedShort() {
        generator.writeDays(store, APR_09, APR_09.plusDays(1));

        assertThatThrownBy(() -> DailyEventCounts.fixed().run(new JobContext(Window.day(APR_09, BERLIN),
                new ObjectStoreSourceReader(store, RateBudget.unlimited()), new CapturingSink())))
                .isInstanceOf(RetryableException.class)
                .hasMessage("No input objects under raw/events/dt=2026-04-08/: the upstream has not delivered window "
                        + "2026-04-09 (yet)");
    }

    @Test
    void run_anEventWithoutTsInAPartlyCoveredDay_failsNamingTheObject_notTheValue() {
        store.put("raw/events/dt=2026-04-08/events-0000.jsonl.gz",
                Gzip.ofLines("{\"ts\":\"not-a-time\",\"user\":\"u1\",\"type\":\"view\"}"));
        store.put("raw/events/dt=2026-04-09/events-0000.jsonl.gz",
                Gzip.ofLines("{\"ts\":\"2026-04-09T08:00:00Z\",\"user\":\"u1\",\"type\":\"view\"}"));

        assertThatThrownBy(() -> DailyEventCounts.fixed().run(new JobContext(Window.day(APR_09, BERLIN),
                new ObjectStoreSourceReader(store, RateBudget.unlimited()), new CapturingSink())))
                .isInstanceOf(BackfillException.class)
                .hasMessage("Event in raw/events/dt=2026-04-08/events-0000.jsonl.gz has no 'ts' instant (ISO-8601, "
                        + "such as 2026-04-09T08:00:00Z), needed to tell whether it belongs to window 2026-04-09");
    }

    /** Type → {events, distinct users, cents}, from the generator's events whose ts lies in the window. */
    private Map<String, long[]> expectedCounts(Window window) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Set<String>> users = new TreeMap<>();
        for (LocalDate day = rawDay(window.start()); !day.isAfter(rawDay(window.end().minusNanos(1)));
             day = day.plusDays(1)) {
            for (String line : Gzip.lines(generator.day(day))) {
                JsonNode event = tree(line);
                Instant ts = Instant.parse(event.get("ts").asText());
                if (!ts.isBefore(window.start()) && ts.isBefore(window.end())) {
                    String type = event.get("type").asText();
                    long[] c = counts.computeIfAbsent(type, t -> new long[3]);
                    c[0]++;
                    c[2] += event.get("amount_cents").asLong();
                    users.computeIfAbsent(type, t -> new HashSet<>()).add(event.get("user").asText());
                }
            }
        }
        counts.forEach((type, c) -> c[1] = users.get(type).size());
        return counts;
    }

    private static Map<String, String> render(Map<String, long[]> counts) {
        Map<String, String> rendered = new TreeMap<>();
        counts.forEach((type, c) -> rendered.put(type, c[0] + "/" + c[1] + "/" + c[2]));
        return rendered;
    }

    private static Map<String, String> counts(List<String> lines) {
        Map<String, String> rendered = new TreeMap<>();
        for (String line : lines) {
            JsonNode row = tree(line);
            rendered.put(row.get("type").asText(), row.get("events").asLong() + "/" + row.get("users").asLong() + "/"
                    + row.get("amount_cents").asLong());
        }
        return rendered;
    }

    private static JsonNode tree(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + line, e);
        }
    }

    private long lineCount(LocalDate day) {
        return Gzip.lines(generator.day(day)).size();
    }

    private static LocalDate rawDay(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
