package dev.backfill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spacing upstream requests evenly, on a fake ticker whose sleeps only move its time. */
class SpacedRateBudgetTest {

    private static final long MS = 1_000_000L;

    private final FakeTicker ticker = new FakeTicker(Duration.ofHours(1).toNanos());

    @Test
    void acquire_fourPerSecond_grantsRequestsQuarterOfASecondApart() {
        RateBudget budget = new SpacedRateBudget(4, ticker);

        List<Long> granted = acquire(budget, 4);

        assertThat(granted).containsExactly(0L, 250 * MS, 500 * MS, 750 * MS);
        assertThat(ticker.sleeps).containsExactly(250 * MS, 250 * MS, 250 * MS);
    }

    @Test
    void acquire_aCallerThatOversleeps_getsItsNextPermitAFullIntervalLater_neverSooner() {
        RateBudget budget = new SpacedRateBudget(4, new SpacedRateBudget.Ticker() {
            @Override
            public long nanoTime() {
                return ticker.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                // A loaded machine wakes 20 ms late.
                ticker.sleepNanos(nanos + 20 * MS);
            }
        });

        List<Long> granted = acquire(budget, 4);

        assertThat(granted).containsExactly(0L, 270 * MS, 540 * MS, 810 * MS);
    }

    @Test
    void tryAcquire_aPermitBeyondTheWait_isRefusedAndNotTaken() {
        RateBudget budget = new SpacedRateBudget(4, ticker);
        budget.acquire();

        boolean tooSoon = budget.tryAcquire(Duration.ofMillis(100));
        boolean inTime = budget.tryAcquire(Duration.ofMillis(250));

        assertThat(tooSoon).isFalse();
        assertThat(inTime).isTrue();
        assertThat(ticker.sleeps).containsExactly(250 * MS);
    }

    @Test
    void acquire_firstRequest_doesNotWait() {
        new SpacedRateBudget(0.5, ticker).acquire();

        assertThat(ticker.sleeps).isEmpty();
    }

    @Test
    void acquire_afterIdling_grantsOneAtOnceButBuildsUpNoBurst() {
        RateBudget budget = new SpacedRateBudget(4, ticker);
        acquire(budget, 2);
        ticker.now += 10_000 * MS;
        ticker.sleeps.clear();

        List<Long> granted = acquire(budget, 3);

        assertThat(granted).containsExactly(10_250 * MS, 10_500 * MS, 10_750 * MS);
        assertThat(ticker.sleeps).containsExactly(250 * MS, 250 * MS);
    }

    @Test
    void acquire_callerSlowerThanTheRate_neverWaits() {
        RateBudget budget = new SpacedRateBudget(4, ticker);

        for (int i = 0; i < 5; i++) {
            budget.acquire();
            ticker.now += 300 * MS;
        }

        assertThat(ticker.sleeps).isEmpty();
    }

    @Test
    void shareOf_globalRateOverWorkers_givesEachWorkerRateOverWorkers() {
        RateBudget oneOfFour = SpacedRateBudget.shareOf(100, 4, ticker);

        List<Long> granted = acquire(oneOfFour, 3);

        assertThat(granted).containsExactly(0L, 40 * MS, 80 * MS);
    }

    @Test
    void shareOf_rateZeroOrLess_isUnlimited() {
        for (double rate : new double[] {0, -1}) {
            RateBudget budget = SpacedRateBudget.shareOf(rate, 4, ticker);

            List<Long> granted = acquire(budget, 1_000);

            assertThat(granted).containsOnly(0L);
        }

        assertThat(ticker.sleeps).isEmpty();
    }

    @Test
    void shareOf_fewerThanOneWorker_isRefused() {
        assertThatThrownBy(() -> SpacedRateBudget.shareOf(100, 0, ticker))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workers must be at least 1: 0");
    }

    @Test
    void constructor_rateNotPositiveAndFinite_isRefused() {
        assertThatThrownBy(() -> new SpacedRateBudget(0, ticker))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("permitsPerSecond must be positive and finite: 0.0");
        assertThatThrownBy(() -> new SpacedRateBudget(-2, ticker))
                .hasMessage("permitsPerSecond must be positive and finite: -2.0");
        assertThatThrownBy(() -> new SpacedRateBudget(Double.NaN, ticker))
                .hasMessage("permitsPerSecond must be positive and finite: NaN");
        assertThatThrownBy(() -> new SpacedRateBudget(Double.POSITIVE_INFINITY, ticker))
                .hasMessage("permitsPerSecond must be positive and finite: Infinity");
    }

    @Test
    void acquire_interruptedWhileWaiting_failsAndKeepsTheInterrupt() {
        SpacedRateBudget.Ticker interrupting = new FakeTicker(0) {
            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                throw new InterruptedException("stop");
            }
        };
        RateBudget budget = new SpacedRateBudget(1, interrupting);
        budget.acquire();

        assertThatThrownBy(budget::acquire)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Interrupted while waiting for the upstream rate budget")
                .hasCauseInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isTrue();
    }

    /** Acquires {@code count} permits; returns the fake time of each grant, relative to the start. */
    private List<Long> acquire(RateBudget budget, int count) {
        long start = ticker.start;
        List<Long> granted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            budget.acquire();
            granted.add(ticker.now - start);
        }
        return granted;
    }

    /** Time stands still except when someone sleeps or the test moves it. */
    private static class FakeTicker implements SpacedRateBudget.Ticker {

        final long start;
        final List<Long> sleeps = new ArrayList<>();
        long now;

        FakeTicker(long start) {
            this.start = start;
            this.now = start;
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            sleeps.add(nanos);
            now += nanos;
        }
    }
}
