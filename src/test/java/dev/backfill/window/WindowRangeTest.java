package dev.backfill.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowRangeTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_29 = LocalDate.of(2026, 4, 29);
    private static final LocalDate APR_30 = LocalDate.of(2026, 4, 30);
    private static final LocalDate MAY_02 = LocalDate.of(2026, 5, 2);
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final int NO_LIMIT = 3660;

    @Test
    void split_rangeAcrossMonthEnd_givesOneWindowPerDay() {
        List<Window> windows = WindowRange.of(APR_29, MAY_02).splitDays(ZoneOffset.UTC, NO_LIMIT);

        assertThat(windows).containsExactly(
                new Window("2026-04-29", Instant.parse("2026-04-29T00:00:00Z"), Instant.parse("2026-04-30T00:00:00Z")),
                new Window("2026-04-30", Instant.parse("2026-04-30T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z")),
                new Window("2026-05-01", Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-05-02T00:00:00Z")));
    }

    @Test
    void split_apr09ToApr30_gives21WindowsOldestFirst() {
        WindowRange range = WindowRange.parse("2026-04-09", "2026-04-30");

        List<Window> windows = range.splitDays(ZoneOffset.UTC, NO_LIMIT);

        assertThat(range.days()).isEqualTo(21);
        assertThat(windows).hasSize(21);
        assertThat(windows.get(0).date()).isEqualTo(APR_09);
        assertThat(windows.get(20).date()).isEqualTo(APR_29);
        assertThat(windows).extracting(Window::start).isSorted();
    }

    @Test
    void split_leapYearFebruary_includesFeb29() {
        List<Window> windows = WindowRange.parse("2028-02-28", "2028-03-02").splitDays(ZoneOffset.UTC, NO_LIMIT);

        assertThat(windows).extracting(Window::label).containsExactly("2028-02-28", "2028-02-29", "2028-03-01");
    }

    @Test
    void split_nonLeapFebruary_goesFromFeb28ToMar01() {
        List<Window> windows = WindowRange.parse("2026-02-27", "2026-03-02").splitDays(ZoneOffset.UTC, NO_LIMIT);

        assertThat(windows).extracting(Window::label).containsExactly("2026-02-27", "2026-02-28", "2026-03-01");
    }

    @Test
    void parse_feb29OfNonLeapYear_isRefusedAsMalformed() {
        assertThatThrownBy(() -> WindowRange.parse("2026-02-29", "2026-03-01"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed start date '2026-02-29' (expected yyyy-MM-dd)");
    }

    @Test
    void parse_notAnIsoDate_isRefusedAsMalformed() {
        assertThatThrownBy(() -> WindowRange.parse("2026-04-09", "30/04/2026"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Malformed end date '30/04/2026' (expected yyyy-MM-dd)");
    }

    @Test
    void parse_longMalformedValue_isAbbreviatedInTheMessage() {
        String value = "x".repeat(100);

        assertThatThrownBy(() -> WindowRange.parse(value, "2026-04-30"))
                .hasMessage("Malformed start date '" + "x".repeat(40) + "…' (expected yyyy-MM-dd)");
    }

    @Test
    void parse_missingOrBlankDate_isRefused() {
        assertThatThrownBy(() -> WindowRange.parse(null, "2026-04-30"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Missing start date (expected yyyy-MM-dd)");
        assertThatThrownBy(() -> WindowRange.parse("2026-04-09", " "))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Missing end date (expected yyyy-MM-dd)");
    }

    @Test
    void of_endEqualToStart_isRefused() {
        assertThatThrownBy(() -> WindowRange.of(APR_09, APR_09))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range: end 2026-04-09 is not after start 2026-04-09 (end is exclusive)");
    }

    @Test
    void parse_endBeforeStart_isRefused() {
        assertThatThrownBy(() -> WindowRange.parse("2026-04-30", "2026-04-01"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range: end 2026-04-01 is not after start 2026-04-30 (end is exclusive)");
    }

    @Test
    void split_moreThanMaxWindows_isRefused() {
        assertThatThrownBy(() -> WindowRange.of(APR_09, APR_30).splitDays(ZoneOffset.UTC, 20))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range 2026-04-09 .. 2026-04-30: 21 windows exceed the maximum of 20");
    }

    @Test
    void split_exactlyMaxWindows_isAccepted() {
        assertThat(WindowRange.of(APR_09, APR_30).splitDays(ZoneOffset.UTC, 21)).hasSize(21);
    }

    @Test
    void split_centuryAgainstTheDefaultLimit_isRefused() {
        WindowRange century = WindowRange.of(LocalDate.of(1926, 1, 1), LocalDate.of(2026, 1, 1));

        assertThatThrownBy(() -> century.splitDays(ZoneOffset.UTC, NO_LIMIT))
                .hasMessage("Cannot split range 1926-01-01 .. 2026-01-01: 36525 windows exceed the maximum of 3660");
    }

    @Test
    void day_springForwardInNewYork_is23HoursFromLocalMidnight() {
        Window window = Window.day(LocalDate.of(2026, 3, 8), NEW_YORK);

        assertThat(window.label()).isEqualTo("2026-03-08");
        assertThat(window.start()).isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
        assertThat(window.end()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
        assertThat(Duration.between(window.start(), window.end())).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void day_fallBackInNewYork_is25Hours() {
        Window window = Window.day(LocalDate.of(2026, 11, 1), NEW_YORK);

        assertThat(window.start()).isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
        assertThat(Duration.between(window.start(), window.end())).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void split_acrossDaylightSavingChange_leavesNoGapOrOverlap() {
        List<Window> windows = WindowRange.parse("2026-03-07", "2026-03-10").splitDays(NEW_YORK, NO_LIMIT);

        assertThat(windows).extracting(window -> Duration.between(window.start(), window.end()))
                .containsExactly(Duration.ofHours(24), Duration.ofHours(23), Duration.ofHours(24));
        assertThat(windows.get(0).end()).isEqualTo(windows.get(1).start());
        assertThat(windows.get(1).end()).isEqualTo(windows.get(2).start());
    }

    @Test
    void window_endNotAfterStart_isRefused() {
        Instant apr09 = Instant.parse("2026-04-09T00:00:00Z");
        Instant apr10 = Instant.parse("2026-04-10T00:00:00Z");

        assertThatThrownBy(() -> new Window("2026-04-09", apr10, apr09))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Window 2026-04-09 must end after it starts: start 2026-04-10T00:00:00Z, "
                        + "end 2026-04-09T00:00:00Z");
        assertThatThrownBy(() -> new Window("2026-04-09", apr09, apr09))
                .hasMessage("Window 2026-04-09 must end after it starts: start 2026-04-09T00:00:00Z, "
                        + "end 2026-04-09T00:00:00Z");
    }

    @Test
    void window_blankLabel_isRefused() {
        assertThatThrownBy(() -> new Window(" ", Instant.EPOCH, Instant.EPOCH.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Window label must not be blank");
    }
}
