package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.testing.Operator;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A field sent as JSON {@code null}, as the function's JSON mapping passes it on: it reads as absent, so a required
 * one is refused as missing and an optional one takes its default, and a field the action does not take is refused
 * as unknown even when null. Found by the fuzz: such requests failed with a NullPointerException.
 */
class NullFieldsTest {

    private final Operator operator = Operator.inMemory(Instant.parse("2026-11-25T10:00:00Z"));

    @AfterEach
    void close() {
        operator.close();
    }

    @Test
    void aRequiredFieldThatIsNull_isRefusedAsMissing_sendingAndWritingNothing() {
        operator.refused("{\"action\":\"read\",\"table\":null,\"day\":\"2026-11-20\"}", "Missing field 'table'");
        operator.refused("{\"action\":\"diff\",\"table\":\"daily_event_counts\",\"start\":\"2026-11-01\","
                + "\"end\":null,\"before\":\"now\",\"after\":\"now\"}", "Missing end date (expected yyyy-MM-dd)");
        operator.refused("{\"action\":\"publish\",\"runId\":null,\"force\":true}", "Missing field 'runId'");
        operator.refused("{\"action\":\"discard\",\"runId\":null}", "Missing field 'runId'");
        operator.refused("{\"action\":\"audit\",\"job\":null,\"day\":\"2026-11-01\"}", "Missing field 'job'");
        operator.refused("{\"scheduledTime\":null}", "Missing field 'scheduledTime'");
        operator.refused("{\"action\":null,\"runId\":\"20260101T000000Z-000000\"}",
                "Missing field 'action'; one of [audit, backfill, cancel, diff, discard, plan, publish, read, "
                        + "redrive, report, retry, runs, status, watermark]");

        assertThat(operator.store().list("")).isEmpty();
        assertThat(operator.queue().sent()).isEmpty();
    }

    @Test
    void anUnknownFieldThatIsNull_isStillRefused() {
        operator.refused("{\"action\":\"redrive\",\"limit\":null}",
                "Unknown field(s) [limit] for action 'redrive'; allowed: [action]");
        operator.refused("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-11-20\","
                + "\"rows\":null}", "Unknown field(s) [rows] for action 'read'; allowed: [action, asOf, day, end, "
                + "start, table]");
    }

    @Test
    void anOptionalFieldThatIsNull_takesItsDefault() {
        JsonNode watermark = operator.call("{\"action\":\"watermark\",\"job\":\"daily_event_counts\",\"set\":null}");
        JsonNode read = operator.call("{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"2026-11-20\","
                + "\"asOf\":null}");

        assertThat(watermark.path("job").asText()).isEqualTo("daily_event_counts");
        assertThat(watermark.path("day").isNull()).as("no watermark was set").isTrue();
        assertThat(read.path("asOf").asText()).as("asOf defaults to now").isEqualTo("2026-11-25T10:00:00Z");
        assertThat(read.path("absent")).extracting(JsonNode::asText).containsExactly("2026-11-20");
        assertThat(operator.store().list("")).isEmpty();
    }
}
