package dev.backfill.bench;

import dev.backfill.local.lambda.Invocable;
import dev.backfill.local.lambda.InvocationResult;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A function that only takes time: each invocation sleeps {@code T} and succeeds. It keeps what the mapping did to
 * it: how many ran at once, when the first started and the last ended, and how long each really took.
 */
final class SleepingFunction implements Invocable {

    private final long sleepMillis;
    private final CountDownLatch remaining;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastEnd = new AtomicLong();
    private final AtomicLong busyNanos = new AtomicLong();

    SleepingFunction(long sleepMillis, int invocations) {
        this.sleepMillis = sleepMillis;
        this.remaining = new CountDownLatch(invocations);
    }

    @Override
    public String name() {
        return "bench-sleeper";
    }

    @Override
    public InvocationResult invoke(byte[] payload) throws InterruptedException {
        long started = System.nanoTime();
        firstStart.accumulateAndGet(started, Math::min);
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            // The work itself, not a wait for anything: P2 measures the mapping around a window of fixed length T.
            Thread.sleep(sleepMillis);
        } finally {
            running.decrementAndGet();
            long ended = System.nanoTime();
            busyNanos.addAndGet(ended - started);
            lastEnd.accumulateAndGet(ended, Math::max);
            remaining.countDown();
        }
        return InvocationResult.success(new byte[0]);
    }

    /** Waits until every expected invocation has ended; false if that took longer than {@code seconds}. */
    boolean awaitAll(long seconds) throws InterruptedException {
        return remaining.await(seconds, TimeUnit.SECONDS);
    }

    int running() {
        return running.get();
    }

    int peak() {
        return peak.get();
    }

    long firstStart() {
        return firstStart.get();
    }

    long lastEnd() {
        return lastEnd.get();
    }

    /** The mean time an invocation took, in seconds: the T the ideal makespan is computed with. */
    double meanSeconds(int invocations) {
        return busyNanos.get() / 1e9 / invocations;
    }
}
