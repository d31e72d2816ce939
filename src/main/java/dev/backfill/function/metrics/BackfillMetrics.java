package dev.backfill.function.metrics;

import dev.backfill.function.metrics.WindowReport.Outcome;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The project's metrics, as EMF documents printed on their own lines of the function's output (CloudWatch Logs
 * extracts them; no CloudWatch API call is made). Every metric is aggregated by {@code Job} and, without dimension,
 * across all jobs: the stack's dashboard and alarms read the latter.
 *
 * <ul>
 *   <li>per window delivery: {@code WindowsCommitted}, {@code WindowsFailed}, {@code WindowsSuperseded} (0 or 1
 *       each; a failed delivery counts as failed whether it will be retried or not), {@code WindowDuration} (ms),
 *       {@code RowsWritten}, {@code UpstreamRequests}, {@code UpstreamThrottled};
 *   <li>per dispatch: {@code WindowsDispatched}, the windows put on the queue.
 * </ul>
 * A delivery that finds its window already committed by another delivery of the same message counts in none of the
 * three window counters: the first delivery counted the commit. Emitting never fails the caller: a document that
 * cannot be written is logged and dropped.
 */
public final class BackfillMetrics {

    public static final String DEFAULT_NAMESPACE = "Backfill";
    public static final String JOB = "Job";
    /** By job, and across jobs. */
    private static final List<List<String>> DIMENSION_SETS = List.of(List.of(JOB), List.of());

    private static final Logger LOG = Logger.getLogger(BackfillMetrics.class);

    private final EmfWriter writer;
    private final Clock clock;
    private final Consumer<String> out;

    /** @param out where each document goes, one call per document: the function's standard output */
    public BackfillMetrics(EmfWriter writer, Clock clock, Consumer<String> out) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** One document for one window delivery. */
    public void window(WindowReport report) {
        Outcome outcome = report.outcome();
        List<Metric> metrics = List.of(
                Metric.count("WindowsCommitted", outcome == Outcome.COMMITTED ? 1 : 0),
                Metric.count("WindowsFailed", outcome.failed() ? 1 : 0),
                Metric.count("WindowsSuperseded", outcome == Outcome.SUPERSEDED ? 1 : 0),
                Metric.milliseconds("WindowDuration", report.durationMs()),
                Metric.count("RowsWritten", outcome == Outcome.COMMITTED ? report.rows() : 0),
                Metric.count("UpstreamRequests", report.upstream().requests()),
                Metric.count("UpstreamThrottled", report.upstream().throttled()));
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("runId", report.runId());
        properties.put("window", report.window());
        properties.put("attempt", report.attempt());
        properties.put("outcome", outcome.label());
        properties.put("requestId", report.requestId());
        emit(report.job(), metrics, properties);
    }

    /** One document for one dispatch that put {@code windows} windows of run {@code runId} on the queue. */
    public void dispatched(String job, int windows, String runId, String requestId) {
        emit(job, List.of(Metric.count("WindowsDispatched", windows)),
                Map.of("runId", runId, "requestId", requestId));
    }

    private void emit(String job, List<Metric> metrics, Map<String, ?> properties) {
        String document;
        try {
            document = writer.write(clock.instant(), Map.of(JOB, job), DIMENSION_SETS, metrics, properties);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Metrics of job '%s' not emitted: %s", job, e.getMessage());
            return;
        }
        out.accept(document);
    }
}
