package dev.backfill.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * C workers, each with its own {@code SpacedRateBudget.shareOf(R, C)} as each Lambda process has, acquiring permits as
 * fast as they can on C threads at once: together they never take more than R permits in any second. Time is
 * virtual: a ticker shared by all threads that moves only when every worker is asleep, to the earliest wake-up, so the
 * test measures the permits' granted times exactly and waits for nothing.
 */
class SpacedRateBudgetConcurrencyTest {

    private static final long SECOND = 1_000_000_000L;

    @ParameterizedTest(name = "R={0}, C={1}")
    @CsvSource({"40, 4", "80, 4", "100, 4", "100, 3", "10, 4", "3, 1", "7, 2", "50, 7", "1000, 6", "2.5, 1"})
    void workersWithTheirOwnShare_allAcquiringAtOnce_neverExceedTheGlobalRateInAnySecond(double rate, int workers)
            throws InterruptedException {
        // Enough permits that every worker is busy for well over a second.
        int permitsPerWorker = (int) Math.ceil(rate / workers * 3) + 2;
        List<Long> times = acquireConcurrently(rate, workers, permitsPerWorker);

        assertThat(mostInAnySecond(times)).as("most permits granted in any 1 s window")
                .isLessThanOrEqualTo((int) Math.floor(rate));
        // And not needlessly slow: together they sustain each worker's whole share of R / C, C times over.
        double seconds = (times.get(times.size() - 1) - times.get(0)) / (double) SECOND;
        assertThat((times.size() - workers) / seconds).as("sustained rate")
                .isCloseTo(Math.floor(rate / workers) * workers, org.assertj.core.data.Percentage.withPercentage(1));
    }

    @ParameterizedTest(name = "R={0}, C={1}")
    @CsvSource({"3, 4", "9.5, 10", "0.5, 1"})
    void lessThanOneWholeRequestPerSecondPerWorker_eachTakesRoverC_andAnyCoverRSecondsHoldAtMostC(double rate,
                                                                                                 int workers)
            throws InterruptedException {
        List<Long> times = acquireConcurrently(rate, workers, 4);

        long span = (long) Math.floor(workers / rate * SECOND); // never longer than a worker's spacing
        assertThat(mostIn(times, span)).as("most permits in any C / R seconds").isLessThanOrEqualTo(workers);
        double seconds = (times.get(times.size() - 1) - times.get(0)) / (double) SECOND;
        assertThat((times.size() - workers) / seconds).as("sustained rate")
                .isCloseTo(rate, org.assertj.core.data.Percentage.withPercentage(1));
    }

    /** Each of {@code workers} threads takes {@code permitsPerWorker} from its own share; the grant times, sorted. */
    private static List<Long> acquireConcurrently(double rate, int workers, int permitsPerWorker)
            throws InterruptedException {
        VirtualTicker ticker = new VirtualTicker(workers);
        List<Long> granted = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int w = 0; w < workers; w++) {
            RateBudget budget = SpacedRateBudget.shareOf(rate, workers, ticker);
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < permitsPerWorker; i++) {
                        budget.acquire();
                        granted.add(ticker.nanoTime());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    ticker.leave();
                }
            }, "worker-" + w);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
        }
        assertThat(failures).isEmpty();
        assertThat(granted).hasSize(workers * permitsPerWorker);
        return granted.stream().sorted().toList();
    }

    private static int mostInAnySecond(List<Long> sorted) {
        return mostIn(sorted, SECOND);
    }

    /** The most of {@code sorted} that fall in one half-open window {@code [t, t + span)}. */
    private static int mostIn(List<Long> sorted, long span) {
        int most = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            while (end < sorted.size() && sorted.get(end) < sorted.get(start) + span) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    /**
     * Virtual time shared by a fixed set of threads: a sleeping thread waits until the time reaches its wake-up, and
     * the time moves, to the earliest wake-up, only once every thread still running is asleep.
     */
    private static final class VirtualTicker implements SpacedRateBudget.Ticker {

        private final PriorityQueue<Long> wakeUps = new PriorityQueue<>();
        private long now = 7 * SECOND;
        private int awake;

        VirtualTicker(int threads) {
            this.awake = threads;
        }

        @Override
        public synchronized long nanoTime() {
            return now;
        }

        @Override
        public synchronized void sleepNanos(long nanos) throws InterruptedException {
            long wakeUp = now + nanos;
            wakeUps.add(wakeUp);
            awake--;
            advance();
            while (now < wakeUp) {
                wait();
            }
        }

        /** The calling thread is done and sleeps no more. */
        synchronized void leave() {
            awake--;
            advance();
        }

        private void advance() {
            if (awake > 0 || wakeUps.isEmpty()) {
                return;
            }
            now = Math.max(now, wakeUps.peek());
            while (!wakeUps.isEmpty() && wakeUps.peek() <= now) {
                wakeUps.poll();
                awake++;
            }
            notifyAll();
        }
    }
}
