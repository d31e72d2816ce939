package dev.backfill.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.InvalidRequestException;
import dev.backfill.window.WindowRange;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decoding the dispatcher's JSON input, and every way it is refused. */
class DispatchRequestTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_30 = LocalDate.of(2026, 4, 30);
    private static final String JOB = "daily_event_counts";

    @Test
    void parse_backfill_givesJobAndHalfOpenRange() {
        DispatchRequest request = DispatchRequest.parse(backfill("2026-04-09", "2026-04-30"));

        assertThat(request).isEqualTo(new DispatchRequest.Backfill(JOB, WindowRange.of(APR_09, APR_30)));
    }

    @Test
    void parse_schedulerEvent_givesScheduledTime() {
        DispatchRequest request = DispatchRequest.parse(Map.of("scheduledTime", "2026-11-25T02:00:00Z"));

        assertThat(request).isEqualTo(new DispatchRequest.Scheduled(Instant.parse("2026-11-25T02:00:00Z")));
    }

    @Test
    void parse_emptyOrNullInput_isRefused() {
        String expected = "Empty request: expected {\"action\":\"backfill\",...} or {\"scheduledTime\":...}";

        assertThatThrownBy(() -> DispatchRequest.parse(Map.of()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(expected);
        assertThatThrownBy(() -> DispatchRequest.parse(null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(expected);
    }

    @Test
    void parse_missingField_isRefusedNamingIt() {
        assertThatThrownBy(() -> DispatchRequest.parse(Map.of("action", "backfill", "job", JOB, "start", "2026-04-09")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Missing field 'end'");
        assertThatThrownBy(() -> DispatchRequest.parse(Map.of("job", JOB)))
                .hasMessage("Missing field 'action'");
    }

    @Test
    void parse_nullField_isRefusedAsMissing() {
        Map<String, Object> input = new HashMap<>(backfill("2026-04-09", "2026-04-30"));
        input.put("job", null);

        assertThatThrownBy(() -> DispatchRequest.parse(input))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Missing field 'job'");
    }

    @Test
    void parse_nonStringField_isRefusedNamingItsType() {
        Map<String, Object> input = new HashMap<>(backfill("2026-04-09", "2026-04-30"));
        input.put("start", 20260409);

        assertThatThrownBy(() -> DispatchRequest.parse(input))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Field 'start' must be a string, not Integer");
    }

    @Test
    void parse_unknownAction_isRefusedListingTheSupportedOnes() {
        assertThatThrownBy(() -> DispatchRequest.parse(Map.of("action", "replay", "job", JOB)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unknown action 'replay'; supported: [backfill]");
    }

    @Test
    void parse_longUnknownAction_isAbbreviated() {
        assertThatThrownBy(() -> DispatchRequest.parse(Map.of("action", "a".repeat(500))))
                .hasMessage("Unknown action '" + "a".repeat(40) + "…'; supported: [backfill]");
    }

    @Test
    void parse_unknownFields_areRefusedSortedWithTheAllowedOnes() {
        Map<String, Object> input = new HashMap<>(backfill("2026-04-09", "2026-04-30"));
        input.put("order", "newest");
        input.put("dryRun", true);

        assertThatThrownBy(() -> DispatchRequest.parse(input))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unknown field(s) [dryRun, order] for action 'backfill'; "
                        + "allowed: [action, end, job, start]");
    }

    @Test
    void parse_reversedRange_isRefused() {
        assertThatThrownBy(() -> DispatchRequest.parse(backfill("2026-04-30", "2026-04-09")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range: end 2026-04-09 is not after start 2026-04-30 (end is exclusive)");
    }

    @Test
    void parse_malformedScheduledTime_isRefused() {
        assertThatThrownBy(() -> DispatchRequest.parse(Map.of("scheduledTime", "2026-11-25")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed scheduledTime '2026-11-25' (expected an ISO instant such as "
                        + "2026-11-25T02:00:00Z)");
    }

    @Test
    void parse_nonStringScheduledTime_isRefused() {
        assertThatThrownBy(() -> DispatchRequest.parse(Map.of("scheduledTime", 1_795_601_730L)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Field 'scheduledTime' must be a string, not Long");
    }

    private static Map<String, Object> backfill(String start, String end) {
        return Map.of("action", "backfill", "job", JOB, "start", start, "end", end);
    }
}
