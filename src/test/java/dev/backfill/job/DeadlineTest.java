package dev.backfill.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A job's deadline counts down on the injected clock. */
class DeadlineTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-04-09T08:00:00Z"));

    @Test
    void after_countsDownWithTheClock_andAllowsOnlyWaitsThatEndBeforeIt() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(10), clock);
        clock.advance(Duration.ofSeconds(4));

        assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(6));
        assertThat(deadline.allows(Duration.ofSeconds(5))).isTrue();
        assertThat(deadline.allows(Duration.ofSeconds(6))).isFalse();
    }

    @Test
    void after_aReserveLargerThanTheTimeLeft_hasAlreadyPassed() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(3).minus(Duration.ofSeconds(15)), clock);

        assertThat(deadline.remaining()).isNegative();
        assertThat(deadline.allows(Duration.ZERO)).isFalse();
    }

    @Test
    void none_allowsAnyRealisticWait() {
        assertThat(Deadline.none().allows(Duration.ofHours(12))).isTrue();
    }
}
