package dev.backfill.local.lambda;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition; the local stack's only way of waiting for something another process does. */
public final class Waits {

    private static final Duration POLL = Duration.ofMillis(100);

    private Waits() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws IllegalStateException with {@code failure}'s message if it does not within {@code timeout}
     */
    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure.get() + " (waited " + timeout.toSeconds() + " s)");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting: " + failure.get(), e);
            }
        }
    }
}
