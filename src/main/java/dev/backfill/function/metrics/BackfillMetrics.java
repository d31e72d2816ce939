package dev.backfill.function.metrics;

import dev.backfill.function.metrics.WindowReport.Outcome;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.cloudwatchlogs.emf.config.Configuration;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;
import software.amazon.lambda.powertools.metrics.provider.EmfMetricsProvider;
import software.amazon.lambda.powertools.metrics.provider.MetricsProvider;

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
 *
 * <p>The documents are written by Powertools for AWS Lambda (Java), {@code powertools-metrics}, on AWS's
 * {@code aws-embedded-metrics}, through its functional API (no AspectJ): a {@link Metrics} instance of its own per
 * document, flushed at once, so concurrent invocations share nothing. The library prints each document with
 * {@code System.out.println} (its Lambda environment's console sink), never through the JSON log formatter.
 */
public final class BackfillMetrics {

    public static final String DEFAULT_NAMESPACE = "Backfill";
    public static final String JOB = "Job";
    /** Namespace: 1-255 of these characters, not AWS/ which AWS reserves (CloudWatch concepts, Namespaces). */
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._#:/-]{1,255}");

    private static final Logger LOG = Logger.getLogger(BackfillMetrics.class);

    private final String namespace;
    private final Clock clock;
    private final MetricsProvider provider;

    /**
     * @param namespace the CloudWatch namespace of every document
     * @param provider  a new {@link Metrics} per call: {@link #emf()} in the functions
     * @throws IllegalArgumentException if CloudWatch would refuse the namespace
     */
    public BackfillMetrics(String namespace, Clock clock, MetricsProvider provider) {
        Objects.requireNonNull(namespace, "namespace");
        if (!NAMESPACE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("Metric namespace '" + namespace + "' must be 1 to 255 of A-Z a-z 0-9 "
                    + ". - _ / # : and must not start with AWS/");
        }
        this.namespace = namespace;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.provider = Objects.requireNonNull(provider, "provider");
    }

    /**
     * Powertools' EMF provider, its documents printed on standard output wherever the function runs. Unless
     * {@code AWS_EMF_ENVIRONMENT} says otherwise, aws-embedded-metrics is told it runs in Lambda: left to discover
     * its environment off Lambda (tests, the local stack), it would probe the EC2 instance metadata endpoint and then
     * send the documents to a CloudWatch agent's socket (127.0.0.1:25888) instead of printing them. In Lambda the
     * override is what it would have found (AWS_LAMBDA_FUNCTION_NAME is set), without the probe.
     */
    public static MetricsProvider emf() {
        Configuration config = EnvironmentConfigurationProvider.getConfig();
        if (config.getEnvironmentOverride() == Environments.Unknown) {
            config.setEnvironmentOverride(Environments.Lambda);
        }
        return new EmfMetricsProvider();
    }

    public String namespace() {
        return namespace;
    }

    /** One document for one window delivery. */
    public void window(WindowReport report) {
        Outcome outcome = report.outcome();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("runId", report.runId());
        properties.put("window", report.window());
        properties.put("attempt", report.attempt());
        properties.put("outcome", outcome.label());
        properties.put("requestId", report.requestId());
        emit(report.job(), metrics -> {
            metrics.addMetric("WindowsCommitted", outcome == Outcome.COMMITTED ? 1 : 0, MetricUnit.COUNT);
            metrics.addMetric("WindowsFailed", outcome.failed() ? 1 : 0, MetricUnit.COUNT);
            metrics.addMetric("WindowsSuperseded", outcome == Outcome.SUPERSEDED ? 1 : 0, MetricUnit.COUNT);
            metrics.addMetric("WindowDuration", report.durationMs(), MetricUnit.MILLISECONDS);
            metrics.addMetric("RowsWritten", outcome == Outcome.COMMITTED ? report.rows() : 0, MetricUnit.COUNT);
            metrics.addMetric("UpstreamRequests", report.upstream().requests(), MetricUnit.COUNT);
            metrics.addMetric("UpstreamThrottled", report.upstream().throttled(), MetricUnit.COUNT);
        }, properties);
    }

    /** One document for one dispatch that put {@code windows} windows of run {@code runId} on the queue. */
    public void dispatched(String job, int windows, String runId, String requestId) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("runId", runId);
        properties.put("requestId", requestId);
        emit(job, metrics -> metrics.addMetric("WindowsDispatched", windows, MetricUnit.COUNT), properties);
    }

    private void emit(String job, Consumer<Metrics> values, Map<String, Object> properties) {
        try {
            Metrics metrics = provider.getMetricsInstance();
            metrics.setNamespace(namespace);
            // Dimension sets [["Job"],[]]: per job, and (the empty set) across jobs.
            metrics.setDefaultDimensions(DimensionSet.of(JOB, job));
            metrics.addDimension(DimensionSet.of(Map.of()));
            metrics.setTimestamp(clock.instant());
            values.accept(metrics);
            properties.forEach(metrics::addMetadata);
            metrics.flush();
        } catch (RuntimeException e) {
            LOG.warnf("Metrics of job '%s' not emitted: %s", job, e.getMessage());
            return;
        }
        // Out before the invocation ends and Lambda may freeze the environment, whatever buffering the stream has.
        System.out.flush();
    }
}
