package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code read}: the table as of an instant, through the dispatcher's router over an in-memory bucket. */
class ReadActionTest {

    private final TimeTravelFixture fixture = new TimeTravelFixture().story();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void read_asOfBeforeTheFix_givesTheBuggyRows_andEachPartitionsFacts() {
        JsonNode answer = fixture.fixed.call("{\"action\":\"read\",\"table\":\"daily_event_counts\","
                + "\"day\":\"2026-04-10\",\"asOf\":\"" + fixture.buggyTime + "\"}");

        assertThat(answer.path("days").asInt()).isEqualTo(1);
        assertThat(answer.path("partitions")).hasSize(1);
        JsonNode partition = answer.path("partitions").get(0);
        assertThat(partition.path("day").asText()).isEqualTo("2026-04-10");
        assertThat(partition.path("runId").asText()).isEqualTo(fixture.buggyRun);
        assertThat(partition.path("job").asText()).isEqualTo("daily_event_counts");
        assertThat(partition.path("codeVersion").asText()).isEqualTo("1.4.2");
        assertThat(partition.path("manifestVersionId").asText()).isNotBlank();
        assertThat(types(answer)).doesNotContain("refund").contains("purchase");
        assertThat(answer.path("objects").isNull()).isTrue();
    }

    @Test
    void read_now_givesTheFixedRows_overARange_withTheDaysWithoutPartitionAbsent() {
        JsonNode answer = fixture.fixed.call("""
                {"action":"read","table":"daily_event_counts","start":"2026-04-08","end":"2026-04-12"}""");

        assertThat(answer.path("first").asText()).isEqualTo("2026-04-08");
        assertThat(answer.path("absent")).extracting(JsonNode::asText).containsExactly("2026-04-08");
        assertThat(answer.path("partitions")).extracting(p -> p.path("runId").asText())
                .containsOnly(fixture.fixRun).hasSize(3);
        assertThat(types(answer)).contains("refund", "purchase");
        assertThat(answer.path("rows").asLong()).isEqualTo(answer.path("records").size());
    }

    @Test
    void read_overTheRowLimit_listsThePartObjectsInsteadOfTheRows() {
        try (TimeTravelFixture small = new TimeTravelFixture(new DispatcherActions.TimeTravel(90, 5,
                Duration.ofMinutes(10))).story()) {
            JsonNode answer = small.fixed.call("""
                    {"action":"read","table":"daily_event_counts","start":"2026-04-09","end":"2026-04-12"}""");

            assertThat(answer.path("rows").asLong()).isGreaterThan(5);
            assertThat(answer.path("rowLimit").asInt()).isEqualTo(5);
            assertThat(answer.path("records").isNull()).isTrue();
            assertThat(answer.path("objects")).hasSize(3).allSatisfy(object -> {
                assertThat(object.path("key").asText())
                        .matches("tables/daily_event_counts/dt=2026-04-(09|10|11)/part-.*");
                assertThat(object.path("versionId").asText()).isNotBlank();
                assertThat(object.path("url").isNull()).as("the in-memory store signs nothing").isTrue();
            });
        }
    }

    @Test
    void badRequests_areRefusedNamingTheFieldAndValue_andReadNothingWriteNothing() {
        List<ObjectVersionSummary> before = fixture.store.listVersions("");
        String now = fixture.clock.instant().toString();
        fixture.fixed.refused("{\"action\":\"read\",\"table\":\"daily_counts\",\"day\":\"2026-04-10\"}",
                "Unknown table 'daily_counts'; known tables: [daily_event_counts]");
        fixture.fixed.refused("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-04-10\","
                + RANGE_FIELDS + "}", "Give either day or start and end, not both");
        fixture.fixed.refused("{\"action\":\"read\",\"table\":\"daily_event_counts\"}",
                "Missing day (or start and end), expected yyyy-MM-dd");
        fixture.fixed.refused("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-04-10\","
                + "\"asOf\":\"yesterday\"}",
                "Malformed asOf 'yesterday' (expected an ISO instant such as 2026-11-25T02:00:00Z)");
        fixture.fixed.refused("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-04-10\","
                + "\"asOf\":\"2026-05-10T09:10:00Z\"}", "Cannot read as of asOf 2026-05-10T09:10:00Z: it is in the "
                + "future (now is " + now + ")");
        fixture.fixed.refused("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-04-10\","
                + "\"asOf\":\"2026-02-01T00:00:00Z\"}", "Cannot read as of asOf 2026-02-01T00:00:00Z: history "
                + "before 2026-02-09T09:05:05Z has expired (replaced versions are kept 90 days, "
                + "NoncurrentVersionRetentionDays)");
        fixture.fixed.refused("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-04-10\","
                + "\"rows\":5}", "Unknown field(s) [rows] for action 'read'; allowed: [action, asOf, day, end, "
                + "start, table]");

        assertThat(fixture.store.listVersions("")).isEqualTo(before);
    }

    @Test
    void read_ofTheLastDayThereIs_isRefusedNamingTheDay_notOverflowingItsEnd() {
        fixture.fixed.refused("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"+999999999-12-31\"}",
                "Cannot read day +999999999-12-31: it is the last day there is, so it has no end (expected "
                        + "yyyy-MM-dd)");
    }

    private static final String RANGE_FIELDS = TimeTravelFixture.RANGE;

    private static List<String> types(JsonNode answer) {
        List<String> types = new ArrayList<>();
        answer.path("records").forEach(row -> types.add(row.path("type").asText()));
        return types;
    }
}
