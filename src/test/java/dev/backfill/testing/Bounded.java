package dev.backfill.testing;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Waits on a test's own threads and tasks that end with their cause when they do not finish in time: what was awaited
 * and, for a thread, where it is stuck, instead of the test's bare timeout.
 */
public final class Bounded {

    private Bounded() {
    }

    /** The task's result; fails naming {@code what} if it does not finish within {@code within}. */
    public static <T> T get(Future<T> task, Duration within, String what)
            throws ExecutionException, InterruptedException {
        try {
            return task.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw new AssertionError(what + " did not finish within " + within, e);
        }
    }

    /** Joins the thread; fails naming {@code what} and the thread's stack if it does not end within {@code within}. */
    public static void join(Thread thread, Duration within, String what) throws InterruptedException {
        thread.join(within.toMillis());
        if (thread.isAlive()) {
            String stack = Arrays.stream(thread.getStackTrace()).map(frame -> "\tat " + frame)
                    .collect(Collectors.joining("\n"));
            thread.interrupt();
            throw new AssertionError(what + " (thread " + thread.getName() + ") did not end within " + within
                    + "; it is at:\n" + stack);
        }
    }
}
