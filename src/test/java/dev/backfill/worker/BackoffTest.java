package dev.backfill.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);
    private static final Duration TWELVE_HOURS = Duration.ofHours(12);

    private final Backoff backoff = new Backoff(TEN_SECONDS, FIFTEEN_MINUTES);

    @Test
    void after_theUpstreamsRetryAfter_isWaitedAtLeast_butNeverLongerThanTheMaximum() {
        assertThat(backoff.after(1, Optional.of(Duration.ofSeconds(45)))).isEqualTo(Duration.ofSeconds(45));
        assertThat(backoff.after(3, Optional.of(Duration.ofSeconds(5)))).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.after(1, Optional.of(Duration.ofDays(1)))).isEqualTo(backoff.after(30));
        assertThat(backoff.after(2, Optional.empty())).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void after_firstFailure_waitsTheBase() {
        assertThat(backoff.after(1)).isEqualTo(TEN_SECONDS);
    }

    @Test
    void after_eachFurtherFailure_doublesTheWait() {
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(backoff.after(7)).isEqualTo(Duration.ofSeconds(640));
    }

    @Test
    void after_manyFailures_isCappedAtMax() {
        assertThat(backoff.after(8)).isEqualTo(FIFTEEN_MINUTES);
        assertThat(backoff.after(1_000)).isEqualTo(FIFTEEN_MINUTES);
        assertThat(new Backoff(TWELVE_HOURS, TWELVE_HOURS).after(Integer.MAX_VALUE)).isEqualTo(TWELVE_HOURS);
    }

    @Test
    void after_attemptBelowOne_waitsTheBase() {
        assertThat(backoff.after(0)).isEqualTo(TEN_SECONDS);
        assertThat(backoff.after(-5)).isEqualTo(TEN_SECONDS);
    }

    @Test
    void constructor_baseNotPositive_isRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, FIFTEEN_MINUTES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backoff needs 0 < base <= max <= 12h: base PT0S, max PT15M");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(-1), FIFTEEN_MINUTES))
                .hasMessage("Backoff needs 0 < base <= max <= 12h: base PT-1S, max PT15M");
    }

    @Test
    void constructor_maxBelowBase_isRefused() {
        assertThatThrownBy(() -> new Backoff(FIFTEEN_MINUTES, TEN_SECONDS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backoff needs 0 < base <= max <= 12h: base PT15M, max PT10S");
    }

    @Test
    void constructor_maxAboveTheSqsVisibilityLimit_isRefused() {
        assertThatThrownBy(() -> new Backoff(TEN_SECONDS, TWELVE_HOURS.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Backoff needs 0 < base <= max <= 12h: base PT10S, max PT12H1S");
    }

    @Test
    void constructor_maxOfExactlyTwelveHours_isAccepted() {
        assertThat(new Backoff(TEN_SECONDS, TWELVE_HOURS).max()).isEqualTo(TWELVE_HOURS);
    }
}
