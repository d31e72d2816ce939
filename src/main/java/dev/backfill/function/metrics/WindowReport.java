package dev.backfill.function.metrics;

import dev.backfill.job.UpstreamMeter;
import java.util.Objects;

/**
 * How one delivery of a window message went, as the worker's log line and metrics tell it.
 *
 * @param job        the job the message names, or {@link #UNKNOWN} when the message could not be read
 * @param runId      the run, or {@link #UNKNOWN}
 * @param window     the window's label, or {@link #UNKNOWN}
 * @param attempt    the delivery count (SQS ApproximateReceiveCount), 1 for the first
 * @param outcome    how it ended
 * @param durationMs wall time of the delivery, by the function's clock
 * @param rows       rows the committed partition holds (0 unless committed)
 * @param upstream   upstream requests this delivery made, and how many were throttled
 * @param requestId  the Lambda invocation's request id
 */
public record WindowReport(String job, String runId, String window, int attempt, Outcome outcome, long durationMs,
                           long rows, UpstreamMeter.Counts upstream, String requestId) {

    public static final String UNKNOWN = "unknown";

    public WindowReport {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(requestId, "requestId");
        if (durationMs < 0 || rows < 0) {
            throw new IllegalArgumentException("Window " + window + " cannot take " + durationMs + " ms or write "
                    + rows + " rows");
        }
    }

    /** How a delivery ended; {@link #label()} is how logs and metrics name it. */
    public enum Outcome {
        /** This delivery replaced the partition. */
        COMMITTED,
        /** Another delivery of the same message had committed the partition; nothing changed. */
        ALREADY_COMMITTED,
        /** A newer run owns the partition; nothing changed. */
        SUPERSEDED,
        /** The window was staged for its run's publish; the live partition is untouched. */
        STAGED,
        /** The run was cancelled: the message was consumed without work. */
        CANCELLED,
        /** Failed in a way a later delivery may not: the message comes back after a back-off. */
        RETRYING,
        /** Failed in a way no delivery can fix (malformed message, unknown job, bad input); on to the DLQ. */
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Whether the delivery failed: the message was reported as a batch item failure. */
        public boolean failed() {
            return this == RETRYING || this == FAILED;
        }
    }
}
