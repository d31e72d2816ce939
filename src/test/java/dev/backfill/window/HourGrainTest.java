package dev.backfill.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.InvalidRequestException;
import dev.backfill.partition.PartitionPath;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hour windows: the zone's local hours, 23 and 25 of them on the days clocks change, each its own partition. */
class HourGrainTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate SPRING_FORWARD = LocalDate.of(2026, 3, 29);
    private static final LocalDate FALL_BACK = LocalDate.of(2026, 10, 25);
    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);

    @Test
    void windowsOf_springForwardInBerlin_gives23Hours_withoutTheSkippedOne() {
        List<Window> hours = Grain.HOUR.windowsOf(SPRING_FORWARD, BERLIN);

        assertThat(hours).hasSize(23);
        assertThat(hours).extracting(Window::label).startsWith("2026-03-29T00", "2026-03-29T01", "2026-03-29T03")
                .doesNotContain("2026-03-29T02").endsWith("2026-03-29T23");
        assertThat(hours.get(0).start()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(hours.get(22).end()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        assertContiguousHours(hours);
    }

    @Test
    void windowsOf_fallBackInBerlin_gives25Hours_theRepeatedHourTwice_underDistinctLabels() {
        List<Window> hours = Grain.HOUR.windowsOf(FALL_BACK, BERLIN);

        assertThat(hours).hasSize(25);
        assertThat(hours).extracting(Window::label).containsSubsequence("2026-10-25T01", "2026-10-25T02",
                "2026-10-25T02-repeat", "2026-10-25T03");
        assertThat(hours.get(2).start()).isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));
        assertThat(hours.get(3).label()).isEqualTo("2026-10-25T02-repeat");
        assertThat(hours.get(3).start()).isEqualTo(Instant.parse("2026-10-25T01:00:00Z"));
        assertContiguousHours(hours);
    }

    @Test
    void labels_sortAsTheHoursHappen_onBothChanges() {
        for (LocalDate day : List.of(SPRING_FORWARD, FALL_BACK, APR_09)) {
            List<String> labels = Grain.HOUR.windowsOf(day, BERLIN).stream().map(Window::label).toList();

            assertThat(labels).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void partitions_ofEveryHourOfBothChanges_areDistinct_andNamedDtAndHr() {
        Set<String> prefixes = new HashSet<>();
        List<Window> hours = WindowRange.of(SPRING_FORWARD, SPRING_FORWARD.plusDays(1)).split(Grain.HOUR, BERLIN, 100);
        List<Window> fall = WindowRange.of(FALL_BACK, FALL_BACK.plusDays(1)).split(Grain.HOUR, BERLIN, 100);

        hours.forEach(window -> prefixes.add(PartitionPath.of("t", window).prefix()));
        fall.forEach(window -> prefixes.add(PartitionPath.of("t", window).prefix()));

        assertThat(prefixes).hasSize(23 + 25)
                .contains("tables/t/dt=2026-03-29/hr=03/", "tables/t/dt=2026-10-25/hr=02/",
                        "tables/t/dt=2026-10-25/hr=02-repeat/")
                .doesNotContain("tables/t/dt=2026-03-29/hr=02/");
    }

    @Test
    void labelOfAPartitionPath_andWindowOfALabel_giveTheWindowBack() {
        for (Window window : Grain.HOUR.windowsOf(FALL_BACK, BERLIN)) {
            String prefix = PartitionPath.of("t", window).prefix();
            String afterDt = prefix.substring("tables/t/dt=".length(), prefix.length() - 1);

            assertThat(PartitionPath.labelOf(afterDt)).isEqualTo(window.label());
            assertThat(Window.ofLabel(window.label(), BERLIN)).isEqualTo(window);
            assertThat(window.date()).isEqualTo(FALL_BACK);
        }
        assertThat(PartitionPath.labelOf("2026-04-09")).isEqualTo("2026-04-09");
        assertThat(Window.ofLabel("2026-04-09", BERLIN)).isEqualTo(Window.day(APR_09, BERLIN));
    }

    @Test
    void ofLabel_anHourTheZoneSkips_isRefused() {
        assertThatThrownBy(() -> Window.ofLabel("2026-03-29T02", BERLIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No window is labelled '2026-03-29T02' in Europe/Berlin");
    }

    @Test
    void split_aMonthAcrossTheSpringChange_counts743Hours_andRefusesMoreThanTheMaximum() {
        WindowRange march = WindowRange.of(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 4, 1));

        assertThat(march.split(Grain.HOUR, BERLIN, 1000)).hasSize(31 * 24 - 1);
        assertThat(march.split(Grain.HOUR, ZoneOffset.UTC, 1000)).hasSize(31 * 24);
        assertThatThrownBy(() -> march.split(Grain.HOUR, BERLIN, 742))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range 2026-03-01 .. 2026-04-01: 743 windows exceed the maximum of 742");
    }

    @Test
    void split_dayGrain_isOneWindowPerDayAsBefore() {
        WindowRange range = WindowRange.of(FALL_BACK, FALL_BACK.plusDays(2));

        assertThat(range.split(Grain.DAY, BERLIN, 10)).isEqualTo(range.splitDays(BERLIN, 10))
                .extracting(Window::label).containsExactly("2026-10-25", "2026-10-26");
    }

    private static void assertContiguousHours(List<Window> hours) {
        for (int i = 0; i < hours.size(); i++) {
            assertThat(Duration.between(hours.get(i).start(), hours.get(i).end())).isEqualTo(Duration.ofHours(1));
            if (i > 0) {
                assertThat(hours.get(i).start()).isEqualTo(hours.get(i - 1).end());
            }
        }
    }
}
