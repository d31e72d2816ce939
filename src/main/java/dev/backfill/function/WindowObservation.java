package dev.backfill.function;

import dev.backfill.dispatch.WindowMessage;
import dev.backfill.function.metrics.BackfillMetrics;
import dev.backfill.function.metrics.WindowReport;
import dev.backfill.function.metrics.WindowReport.Outcome;
import dev.backfill.job.UpstreamMeter;
import dev.backfill.worker.WindowOutcome;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One delivery of a window message as operators see it. While it is open, every log line carries {@code runId},
 * {@code job}, {@code window}, {@code attempt} and {@code messageId} in its MDC; when it ends, one log line adds
 * {@code outcome}, {@code durationMs}, {@code rows} (and {@code error} for a failure), and one EMF document says the
 * same in numbers. {@link #close()} clears what it put in the MDC.
 */
final class WindowObservation implements AutoCloseable {

    static final List<String> MDC_KEYS = List.of("runId", "job", "window", "attempt", "messageId", "outcome",
            "durationMs", "rows", "error");

    private static final Logger LOG = Logger.getLogger(WindowObservation.class);

    private final BackfillMetrics metrics;
    private final Clock clock;
    private final UpstreamMeter meter;
    private final String requestId;
    private final int attempt;
    private final long startedAt;
    private final UpstreamMeter.Counts upstreamBefore;
    private WindowMessage message;

    WindowObservation(BackfillMetrics metrics, Clock clock, UpstreamMeter meter, String requestId, String messageId,
                      int attempt) {
        this.metrics = metrics;
        this.clock = clock;
        this.meter = meter;
        this.requestId = requestId;
        this.attempt = attempt;
        this.startedAt = clock.millis();
        this.upstreamBefore = meter.snapshot();
        MDC.put("attempt", Integer.toString(attempt));
        MDC.put("messageId", messageId);
    }

    /** The message could be read: its run, job and window join the MDC. */
    void read(WindowMessage message) {
        this.message = message;
        MDC.put("runId", message.runId());
        MDC.put("job", message.job());
        MDC.put("window", message.window().label());
    }

    void finished(WindowOutcome outcome) {
        Outcome result = switch (outcome.result()) {
            case COMMITTED -> Outcome.COMMITTED;
            case ALREADY_COMMITTED -> Outcome.ALREADY_COMMITTED;
            case SUPERSEDED -> Outcome.SUPERSEDED;
            case STAGED -> Outcome.STAGED;
            case CANCELLED -> Outcome.CANCELLED;
        };
        WindowReport report = report(result, outcome.rows());
        LOG.infof("Window %s %s: %d rows, %d objects cleaned up, %d ms", report.window(), result.label(),
                outcome.rows(), outcome.deletedObjects(), report.durationMs());
        metrics.window(report);
    }

    /** The window is committed, but the cleanup after the commit failed: the message comes back to finish it. */
    void cleanupRetrying(WindowOutcome outcome, Duration delay) {
        LOG.warnf("Window %s committed, but the cleanup after the commit failed; the message comes back in %ss to "
                + "finish it, without re-running the job: %s", outcome.label(), delay.toSeconds(),
                outcome.cleanupFailure());
    }

    /** The window is committed, the cleanup after the commit failed, and the queue delivers the message no more. */
    void cleanupLeft(WindowOutcome outcome) {
        LOG.warnf("Window %s committed, but the cleanup after the commit failed on the message's last delivery; "
                + "objects the manifest does not list may stay under the partition until its next commit: %s",
                outcome.label(), outcome.cleanupFailure());
    }

    void retrying(RuntimeException failure, Duration delay) {
        WindowReport report = report(Outcome.RETRYING, 0);
        MDC.put("error", describe(failure));
        LOG.warnf("Window %s failed, retrying in %ss: %s", report.window(), delay.toSeconds(), failure.getMessage());
        metrics.window(report);
    }

    void failed(RuntimeException failure) {
        WindowReport report = report(Outcome.FAILED, 0);
        MDC.put("error", describe(failure));
        LOG.errorf("Window %s failed permanently: %s", report.window(), failure.getMessage());
        metrics.window(report);
    }

    private WindowReport report(Outcome outcome, long rows) {
        long durationMs = Math.max(0, clock.millis() - startedAt);
        MDC.put("outcome", outcome.label());
        MDC.put("durationMs", Long.toString(durationMs));
        MDC.put("rows", Long.toString(rows));
        return new WindowReport(message == null ? WindowReport.UNKNOWN : message.job(),
                message == null ? WindowReport.UNKNOWN : message.runId(),
                message == null ? WindowReport.UNKNOWN : message.window().label(), attempt, outcome, durationMs, rows,
                meter.snapshot().since(upstreamBefore), requestId);
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public void close() {
        MDC_KEYS.forEach(MDC::remove);
    }
}
