package dev.backfill.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.InvalidRequestException;
import dev.backfill.window.Window;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The queue message body: its exact JSON shape, and every body a worker refuses. */
class WindowMessageTest {

    private static final Window APR_09 = Window.day(LocalDate.of(2026, 4, 9), ZoneOffset.UTC);
    private static final long FENCE = 1_795_601_730_123_456L;
    private static final WindowMessage MESSAGE = WindowMessage.of("20261125T101530Z-a1b2c3", "daily_event_counts",
            APR_09, FENCE);
    private static final String JSON = "{\"v\":1,\"runId\":\"20261125T101530Z-a1b2c3\",\"job\":\"daily_event_counts\","
            + "\"window\":{\"label\":\"2026-04-09\","
            + "\"start\":\"2026-04-09T00:00:00Z\",\"end\":\"2026-04-10T00:00:00Z\"},"
            + "\"fence\":1795601730123456}";

    @Test
    void toJson_hasTheDocumentedShape() {
        assertThat(MESSAGE.toJson()).isEqualTo(JSON);
    }

    @Test
    void parse_toJson_roundTrip() {
        assertThat(WindowMessage.parse(MESSAGE.toJson())).isEqualTo(MESSAGE);
    }

    @Test
    void parse_aMessageWrittenBeforePublishAndInputsAsOf_isADirectRunOfTheCurrentInputs() {
        WindowMessage old = WindowMessage.parse(JSON);

        assertThat(old.publishMode()).isEqualTo(Publish.DIRECT);
        assertThat(old.inputsAsOf()).isNull();
    }

    @Test
    void stagedMessageAsOfAnInstant_hasTwoMoreMembers_andRoundTrips() {
        WindowMessage staged = MESSAGE.with(Publish.STAGED, java.time.Instant.parse("2026-11-01T00:00:00Z"));

        assertThat(staged.toJson()).isEqualTo(JSON.replace("\"fence\":1795601730123456}",
                "\"fence\":1795601730123456,\"publish\":\"staged\",\"inputsAsOf\":\"2026-11-01T00:00:00Z\"}"));
        assertThat(WindowMessage.parse(staged.toJson())).isEqualTo(staged);
        assertThat(MESSAGE.with(Publish.DIRECT, null)).isEqualTo(MESSAGE);
    }

    @Test
    void parse_unknownPublishMode_isRefused() {
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"fence\":", "\"publish\":\"later\",\"fence\":")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed window message: 'publish' must be direct or staged, not 'later'");
    }

    @Test
    void parse_unknownFields_areTolerated() {
        String newer = JSON.replace("\"fence\":", "\"priority\":\"high\",\"fence\":");

        assertThat(WindowMessage.parse(newer)).isEqualTo(MESSAGE);
    }

    @Test
    void parse_notJson_isRefused() {
        assertThatThrownBy(() -> WindowMessage.parse("{\"v\":1,"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed window message: not JSON");
    }

    @Test
    void parse_emptyOrNonObjectBody_isRefused() {
        assertThatThrownBy(() -> WindowMessage.parse(null))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed window message: not a JSON object");
        assertThatThrownBy(() -> WindowMessage.parse("[1,2]"))
                .hasMessage("Malformed window message: not a JSON object");
    }

    @Test
    void parse_otherVersion_isRefused() {
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"v\":1", "\"v\":2")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unsupported window message version 2 (this worker reads version 1)");
    }

    @Test
    void parse_missingOrTextualVersion_isRefused() {
        assertThatThrownBy(() -> WindowMessage.parse("{\"runId\":\"r\"}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed window message: 'v' must be an integer version");
        assertThatThrownBy(() -> WindowMessage.parse("{\"v\":\"1\",\"runId\":\"r\"}"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed window message: 'v' must be an integer version");
    }

    @Test
    void parse_missingOrBlankField_isRefusedNamingIt() {
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"runId\":", "\"run\":")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed window message: 'runId' must be a non-blank string");
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"daily_event_counts\"", "\" \"")))
                .hasMessage("Malformed window message: 'job' must be a non-blank string");
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"label\":\"2026-04-09\"", "\"label\":9")))
                .hasMessage("Malformed window message: 'label' must be a non-blank string");
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"window\":", "\"windows\":")))
                .hasMessage("Malformed window message: 'label' must be a non-blank string");
    }

    @Test
    void parse_malformedInstant_isRefused() {
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("2026-04-09T00:00:00Z", "2026-04-09")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed window message: Text '2026-04-09' could not be parsed at index 10");
    }

    @Test
    void parse_windowEndingBeforeItStarts_isRefused() {
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("2026-04-10T00:00:00Z", "2026-04-08T00:00:00Z")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed window message: Window 2026-04-09 must end after it starts: "
                        + "start 2026-04-09T00:00:00Z, end 2026-04-08T00:00:00Z");
    }

    @Test
    void parse_negativeOrNonIntegerFence_isRefused() {
        String expected = "Malformed window message: 'fence' must be a non-negative integer";

        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("1795601730123456", "-1")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(expected);
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("1795601730123456", "\"7\"")))
                .hasMessage(expected);
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("1795601730123456", "1.5")))
                .hasMessage(expected);
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace(",\"fence\":1795601730123456", "")))
                .hasMessage(expected);
    }

    @Test
    void parse_namesThatWouldEscapeTheirKeys_areRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"runId\":\"", "\"runId\":\"../../tables/")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Malformed window message: 'runId' must match [A-Za-z0-9][A-Za-z0-9_-]{0,99}, "
                        + "not '../../tables/");
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"daily_event_counts\"", "\"daily/../x\"")))
                .hasMessage("Malformed window message: 'job' must match [a-z][a-z0-9_]{0,62}, not 'daily/../x'");
        assertThatThrownBy(() -> WindowMessage.parse(JSON.replace("\"label\":\"2026-04-09\"",
                "\"label\":\"2026-04-09/\\u0000\"")))
                .hasMessageStartingWith("Malformed window message: 'label' must match \\d{4}-\\d{2}-\\d{2}(T\\d{2}(-repeat)?)?, not ");
    }
}
