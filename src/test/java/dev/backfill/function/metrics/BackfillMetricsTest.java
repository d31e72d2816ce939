package dev.backfill.function.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.function.metrics.WindowReport.Outcome;
import dev.backfill.job.UpstreamMeter;
import dev.backfill.testing.EmfSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The project's metric names and values, one document per window delivery and per dispatch. */
class BackfillMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T14:05:00Z");
    private static final String JOB = "daily_event_counts";

    private final List<String> out = new ArrayList<>();
    private final BackfillMetrics metrics = new BackfillMetrics(new EmfWriter("Backfill/test"),
            Clock.fixed(NOW, ZoneOffset.UTC), out::add);

    @Test
    void window_committed_countsItsCommitRowsDurationAndUpstreamRequests() {
        metrics.window(report(Outcome.COMMITTED, 4, new UpstreamMeter.Counts(2, 0)));

        assertThat(out).hasSize(1);
        assertThat(EmfSpec.violations(out.get(0))).isEmpty();
        assertThat(EmfSpec.metricValues(out.get(0))).containsExactly(
                Map.entry("WindowsCommitted", 1.0), Map.entry("WindowsFailed", 0.0),
                Map.entry("WindowsSuperseded", 0.0), Map.entry("WindowDuration", 1234.0),
                Map.entry("RowsWritten", 4.0), Map.entry("UpstreamRequests", 2.0),
                Map.entry("UpstreamThrottled", 0.0));
        var root = EmfSpec.parse(out.get(0));
        assertThat(root.get("Job").asText()).isEqualTo(JOB);
        assertThat(root.at("/_aws/Timestamp").asLong()).isEqualTo(NOW.toEpochMilli());
        assertThat(root.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("Backfill/test");
        assertThat(root.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Job\"],[]]");
        assertThat(root.get("runId").asText()).isEqualTo("run-1");
        assertThat(root.get("window").asText()).isEqualTo("2026-04-09");
        assertThat(root.get("outcome").asText()).isEqualTo("committed");
        assertThat(root.get("requestId").asText()).isEqualTo("req-1");
    }

    @Test
    void window_retryingAfterThrottle_countsAFailureAndTheThrottleButNoRows() {
        metrics.window(report(Outcome.RETRYING, 0, new UpstreamMeter.Counts(3, 1)));

        assertThat(EmfSpec.metricValues(out.get(0))).containsEntry("WindowsFailed", 1.0)
                .containsEntry("WindowsCommitted", 0.0).containsEntry("RowsWritten", 0.0)
                .containsEntry("UpstreamRequests", 3.0).containsEntry("UpstreamThrottled", 1.0);
    }

    @Test
    void window_superseded_countsOnlyTheSupersession() {
        metrics.window(report(Outcome.SUPERSEDED, 0, UpstreamMeter.Counts.NONE));

        assertThat(EmfSpec.metricValues(out.get(0))).containsEntry("WindowsSuperseded", 1.0)
                .containsEntry("WindowsCommitted", 0.0).containsEntry("WindowsFailed", 0.0);
    }

    @Test
    void window_alreadyCommittedByAnotherDelivery_countsNoCommitAndNoRows() {
        metrics.window(report(Outcome.ALREADY_COMMITTED, 4, UpstreamMeter.Counts.NONE));

        assertThat(EmfSpec.metricValues(out.get(0))).containsEntry("WindowsCommitted", 0.0)
                .containsEntry("RowsWritten", 0.0).containsEntry("WindowsFailed", 0.0);
    }

    @Test
    void dispatched_countsTheEnqueuedWindowsOfTheJob() {
        metrics.dispatched(JOB, 21, "run-1", "req-2");

        assertThat(EmfSpec.violations(out.get(0))).isEmpty();
        assertThat(EmfSpec.metricValues(out.get(0))).containsExactly(Map.entry("WindowsDispatched", 21.0));
        assertThat(EmfSpec.parse(out.get(0)).get("Job").asText()).isEqualTo(JOB);
    }

    @Test
    void window_ofAJobNameCloudWatchRejects_isDroppedWithoutFailingTheWindow() {
        metrics.window(new WindowReport("tägliche", "run-1", "2026-04-09", 1, Outcome.FAILED, 5, 0,
                UpstreamMeter.Counts.NONE, "req-1"));

        assertThat(out).isEmpty();
    }

    private static WindowReport report(Outcome outcome, long rows, UpstreamMeter.Counts upstream) {
        return new WindowReport(JOB, "run-1", "2026-04-09", 1, outcome, 1234, rows, upstream, "req-1");
    }
}
