package dev.backfill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 2);

    @Test
    void unlimited_servesEveryDay() {
        assertThat(History.unlimited().oldestServed(TODAY)).isEmpty();
        assertThat(History.unlimited().serves(LocalDate.of(1970, 1, 1), TODAY)).isTrue();
    }

    @Test
    void since_servesThatDayAndLaterOnly() {
        History history = History.since(LocalDate.of(2026, 1, 1));

        assertThat(history.serves(LocalDate.of(2026, 1, 1), TODAY)).isTrue();
        assertThat(history.serves(LocalDate.of(2025, 12, 31), TODAY)).isFalse();
    }

    @Test
    void lastDays_movesWithToday() {
        History history = History.lastDays(30);

        assertThat(history.oldestServed(TODAY)).contains(LocalDate.of(2026, 11, 2));
        assertThat(history.serves(LocalDate.of(2026, 11, 1), TODAY)).isFalse();
        assertThat(history.serves(LocalDate.of(2026, 11, 1), TODAY.minusDays(1))).isTrue();
    }

    @Test
    void lastDays_ofNone_isRefused() {
        assertThatThrownBy(() -> History.lastDays(0)).hasMessageContaining("at least one day: 0");
    }
}
