package dev.backfill.function.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.function.metrics.WindowReport.Outcome;
import dev.backfill.job.UpstreamMeter;
import dev.backfill.testing.EmfSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The project's metric names and values, one document per window delivery and per dispatch, as the EMF library
 * prints them on standard output and as the EMF specification requires them.
 */
class BackfillMetricsTest {

    /** CloudWatch takes EMF timestamps of the last 14 days only, and the library refuses older ones: a recent one. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
    private static final String JOB = "daily_event_counts";

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream realStdout;
    private final BackfillMetrics metrics = new BackfillMetrics("Backfill/test", Clock.fixed(NOW, ZoneOffset.UTC),
            BackfillMetrics.emf());

    @BeforeEach
    void captureStdout() {
        realStdout = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(realStdout);
    }

    @Test
    void window_committed_countsItsCommitRowsDurationAndUpstreamRequests() {
        metrics.window(report(Outcome.COMMITTED, 4, new UpstreamMeter.Counts(2, 0)));

        List<String> out = documents();
        assertThat(out).hasSize(1);
        assertThat(EmfSpec.violations(out.get(0))).isEmpty();
        assertThat(EmfSpec.metricValues(out.get(0))).containsOnly(
                Map.entry("WindowsCommitted", 1.0), Map.entry("WindowsFailed", 0.0),
                Map.entry("WindowsSuperseded", 0.0), Map.entry("WindowDuration", 1234.0),
                Map.entry("RowsWritten", 4.0), Map.entry("UpstreamRequests", 2.0),
                Map.entry("UpstreamThrottled", 0.0));
        JsonNode root = EmfSpec.parse(out.get(0));
        assertThat(root.get("Job").asText()).isEqualTo(JOB);
        assertThat(root.at("/_aws/Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(root.at("/_aws/CloudWatchMetrics")).hasSize(1);
        assertThat(root.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Backfill/test");
        assertThat(root.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Job\"],[]]");
        assertThat(root.get("runId").asText()).isEqualTo("run-1");
        assertThat(root.get("window").asText()).isEqualTo("2026-04-09");
        assertThat(root.get("attempt").isIntegralNumber()).isTrue();
        assertThat(root.get("attempt").asInt()).isEqualTo(1);
        assertThat(root.get("outcome").asText()).isEqualTo("committed");
        assertThat(root.get("requestId").asText()).isEqualTo("req-1");
    }

    @Test
    void window_metricDefinitions_nameEachMetricWithItsCloudWatchUnit() {
        metrics.window(report(Outcome.COMMITTED, 4, new UpstreamMeter.Counts(2, 0)));

        JsonNode definitions = EmfSpec.parse(documents().get(0)).at("/_aws/CloudWatchMetrics/0/Metrics");
        assertThat(definitions).hasSize(7);
        definitions.forEach(definition -> assertThat(definition.get("Unit").asText())
                .isEqualTo(definition.get("Name").asText().equals("WindowDuration") ? "Milliseconds" : "Count"));
    }

    @Test
    void window_retryingAfterThrottle_countsAFailureAndTheThrottleButNoRows() {
        metrics.window(report(Outcome.RETRYING, 0, new UpstreamMeter.Counts(3, 1)));

        assertThat(EmfSpec.metricValues(documents().get(0))).containsEntry("WindowsFailed", 1.0)
                .containsEntry("WindowsCommitted", 0.0).containsEntry("RowsWritten", 0.0)
                .containsEntry("UpstreamRequests", 3.0).containsEntry("UpstreamThrottled", 1.0);
    }

    @Test
    void window_superseded_countsOnlyTheSupersession() {
        metrics.window(report(Outcome.SUPERSEDED, 0, UpstreamMeter.Counts.NONE));

        assertThat(EmfSpec.metricValues(documents().get(0))).containsEntry("WindowsSuperseded", 1.0)
                .containsEntry("WindowsCommitted", 0.0).containsEntry("WindowsFailed", 0.0);
    }

    @Test
    void window_alreadyCommittedByAnotherDelivery_countsNoCommitAndNoRows() {
        metrics.window(report(Outcome.ALREADY_COMMITTED, 4, UpstreamMeter.Counts.NONE));

        assertThat(EmfSpec.metricValues(documents().get(0))).containsEntry("WindowsCommitted", 0.0)
                .containsEntry("RowsWritten", 0.0).containsEntry("WindowsFailed", 0.0);
    }

    @Test
    void dispatched_countsTheEnqueuedWindowsOfTheJob() {
        metrics.dispatched(JOB, 21, "run-1", "req-2");

        List<String> out = documents();
        assertThat(out).hasSize(1);
        assertThat(EmfSpec.violations(out.get(0))).isEmpty();
        assertThat(EmfSpec.metricValues(out.get(0))).containsExactly(Map.entry("WindowsDispatched", 21.0));
        JsonNode root = EmfSpec.parse(out.get(0));
        assertThat(root.get("Job").asText()).isEqualTo(JOB);
        assertThat(root.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Job\"],[]]");
        assertThat(root.get("runId").asText()).isEqualTo("run-1");
        assertThat(root.get("requestId").asText()).isEqualTo("req-2");
    }

    @Test
    void documents_ofSuccessiveDeliveries_areEachAlone() {
        metrics.window(report(Outcome.COMMITTED, 4, UpstreamMeter.Counts.NONE));
        metrics.window(report(Outcome.SUPERSEDED, 0, UpstreamMeter.Counts.NONE));

        List<String> out = documents();
        assertThat(out).hasSize(2);
        assertThat(out).allSatisfy(document -> assertThat(EmfSpec.violations(document)).isEmpty());
        assertThat(EmfSpec.metricValues(out.get(1))).containsEntry("WindowsSuperseded", 1.0)
                .containsEntry("WindowsCommitted", 0.0).containsEntry("RowsWritten", 0.0);
    }

    @Test
    void window_ofAJobNameCloudWatchRejects_isDroppedWithoutFailingTheWindow() {
        metrics.window(new WindowReport("tägliche", "run-1", "2026-04-09", 1, Outcome.FAILED, 5, 0,
                UpstreamMeter.Counts.NONE, "req-1"));
        metrics.window(new WindowReport(" ", "run-1", "2026-04-09", 1, Outcome.FAILED, 5, 0,
                UpstreamMeter.Counts.NONE, "req-1"));

        assertThat(documents()).isEmpty();
    }

    @Test
    void namespace_cloudWatchRejects_isRefusedNamingIt() {
        Clock clock = Clock.systemUTC();
        assertThat(new BackfillMetrics("Backfill/prod-stack", clock, BackfillMetrics.emf()).namespace())
                .isEqualTo("Backfill/prod-stack");
        assertThatThrownBy(() -> new BackfillMetrics("AWS/Lambda", clock, BackfillMetrics.emf()))
                .hasMessageContaining("Metric namespace 'AWS/Lambda'");
        assertThatThrownBy(() -> new BackfillMetrics("", clock, BackfillMetrics.emf()))
                .hasMessageContaining("Metric namespace ''");
        assertThatThrownBy(() -> new BackfillMetrics("back fill", clock, BackfillMetrics.emf()))
                .hasMessageContaining("Metric namespace 'back fill'");
        assertThatThrownBy(() -> new BackfillMetrics("x".repeat(256), clock, BackfillMetrics.emf()))
                .hasMessageContaining("must be 1 to 255");
    }

    /** What was printed: each line, all of them EMF documents. */
    private List<String> documents() {
        List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).allSatisfy(line -> assertThat(EmfSpec.isEmf(line)).as(line).isTrue());
        return lines;
    }

    private static WindowReport report(Outcome outcome, long rows, UpstreamMeter.Counts upstream) {
        return new WindowReport(JOB, "run-1", "2026-04-09", 1, outcome, 1234, rows, upstream, "req-1");
    }
}
