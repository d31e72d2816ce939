package dev.backfill.function.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.testing.EmfSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Documents as the EMF specification requires them, and refusals of what CloudWatch would reject. */
class EmfWriterTest {

    private static final Instant APR_09_NOON = Instant.parse("2026-04-09T12:00:00.123Z");
    private static final Map<String, String> JOB = Map.of("Job", "daily_event_counts");
    private static final List<Metric> COMMITTED = List.of(Metric.count("WindowsCommitted", 1),
            Metric.milliseconds("WindowDuration", 1234), Metric.count("RowsWritten", 4));

    private final EmfWriter writer = new EmfWriter("Backfill");

    @Test
    void write_givesOneLineTheSpecificationAccepts() {
        String document = writer.write(APR_09_NOON, JOB, COMMITTED, Map.of("runId", "run-1"));

        assertThat(document).doesNotContain("\n");
        assertThat(EmfSpec.violations(document)).isEmpty();
    }

    @Test
    void write_metadata_hasTimestampInEpochMillisAndOneDirective() {
        JsonNode aws = EmfSpec.parse(writer.write(APR_09_NOON, JOB, COMMITTED, Map.of())).get("_aws");

        assertThat(aws.get("Timestamp").asLong()).isEqualTo(APR_09_NOON.toEpochMilli());
        assertThat(aws.get("CloudWatchMetrics")).hasSize(1);
        JsonNode directive = aws.get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo("Backfill");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Job\"]]");
        assertThat(directive.get("Metrics").toString()).isEqualTo(
                "[{\"Name\":\"WindowsCommitted\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"WindowDuration\",\"Unit\":\"Milliseconds\"},"
                + "{\"Name\":\"RowsWritten\",\"Unit\":\"Count\"}]");
    }

    @Test
    void write_targetMembers_holdDimensionValuesAsStringsAndMetricValuesAsNumbers() {
        JsonNode root = EmfSpec.parse(writer.write(APR_09_NOON, JOB, COMMITTED,
                Map.of("runId", "run-1", "attempt", 2, "late", true)));

        assertThat(root.get("Job").isTextual()).isTrue();
        assertThat(root.get("Job").asText()).isEqualTo("daily_event_counts");
        assertThat(root.get("WindowsCommitted").isIntegralNumber()).isTrue();
        assertThat(root.get("WindowDuration").asLong()).isEqualTo(1234);
        assertThat(root.get("RowsWritten").toString()).isEqualTo("4");
        assertThat(root.get("runId").asText()).isEqualTo("run-1");
        assertThat(root.get("attempt").asInt()).isEqualTo(2);
        assertThat(root.get("late").asBoolean()).isTrue();
        assertThat(EmfSpec.metricValues(root.toString())).containsEntry("RowsWritten", 4.0);
    }

    @Test
    void write_fractionalValue_keepsItsFraction() {
        String document = writer.write(APR_09_NOON, JOB, List.of(new Metric("Ratio", Metric.Unit.NONE, 0.25)),
                Map.of());

        assertThat(EmfSpec.parse(document).get("Ratio").asDouble()).isEqualTo(0.25);
        assertThat(EmfSpec.violations(document)).isEmpty();
    }

    @Test
    void write_dimensionSets_aggregateByJobAndAcrossJobs() {
        String document = writer.write(APR_09_NOON, JOB, List.of(List.of("Job"), List.of()), COMMITTED, Map.of());

        assertThat(EmfSpec.parse(document).at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Job\"],[]]");
        assertThat(EmfSpec.violations(document)).isEmpty();
    }

    @Test
    void write_dimensionSetNamingADimensionWithoutValue_isRefusedNamingIt() {
        assertThatThrownBy(() -> writer.write(APR_09_NOON, JOB, List.of(List.of("Job", "Stage")), COMMITTED,
                Map.of())).hasMessage("Dimension set [Job, Stage] names Stage, which has no value");
        assertThatThrownBy(() -> writer.write(APR_09_NOON, JOB, List.of(), COMMITTED, Map.of()))
                .hasMessage("An EMF metric directive needs at least one dimension set");
    }

    @Test
    void write_withoutDimensions_givesOneEmptyDimensionSet() {
        String document = writer.write(APR_09_NOON, Map.of(), COMMITTED, Map.of());

        assertThat(EmfSpec.parse(document).at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[]]");
        assertThat(EmfSpec.violations(document)).isEmpty();
    }

    @Test
    void write_thirtyDimensionsAndHundredMetrics_isTheLimit() {
        Map<String, String> dimensions = new LinkedHashMap<>();
        IntStream.range(0, 30).forEach(i -> dimensions.put("D" + i, "v" + i));
        List<Metric> metrics = IntStream.range(0, 100).mapToObj(i -> Metric.count("M" + i, i)).toList();

        assertThat(EmfSpec.violations(writer.write(APR_09_NOON, dimensions, metrics, Map.of()))).isEmpty();

        dimensions.put("D30", "v30");
        assertThatThrownBy(() -> writer.write(APR_09_NOON, dimensions, metrics, Map.of()))
                .hasMessage("An EMF dimension set holds at most 30 dimensions, not 31");
        List<Metric> tooMany = new ArrayList<>(metrics);
        tooMany.add(Metric.count("M100", 1));
        assertThatThrownBy(() -> writer.write(APR_09_NOON, JOB, tooMany, Map.of()))
                .hasMessage("An EMF metric directive holds 1 to 100 metrics, not 101");
    }

    @Test
    void write_noMetric_isRefused() {
        assertThatThrownBy(() -> writer.write(APR_09_NOON, JOB, List.of(), Map.of()))
                .hasMessage("An EMF metric directive holds 1 to 100 metrics, not 0");
    }

    @Test
    void write_memberNamedTwice_isRefusedNamingIt() {
        assertThatThrownBy(() -> writer.write(APR_09_NOON, JOB, COMMITTED, Map.of("Job", "other")))
                .hasMessageContaining("EMF member 'Job' is given twice");
        assertThatThrownBy(() -> writer.write(APR_09_NOON, JOB, COMMITTED, Map.of("_aws", "x")))
                .hasMessageContaining("EMF member '_aws' is given twice");
        assertThatThrownBy(() -> writer.write(APR_09_NOON, JOB,
                List.of(Metric.count("RowsWritten", 1), Metric.count("RowsWritten", 2)), Map.of()))
                .hasMessageContaining("EMF member 'RowsWritten' is given twice");
    }

    @Test
    void write_dimensionValueCloudWatchRejects_isRefusedNamingIt() {
        assertThatThrownBy(() -> writer.write(APR_09_NOON, Map.of("Job", "tägliche"), COMMITTED, Map.of()))
                .hasMessageContaining("Dimension Job must have a value of 1 to 1024 printable ASCII characters")
                .hasMessageContaining("'tägliche'");
        assertThatThrownBy(() -> writer.write(APR_09_NOON, Map.of("Job", " "), COMMITTED, Map.of()))
                .hasMessageContaining("Dimension Job must have a value");
        assertThatThrownBy(() -> writer.write(APR_09_NOON, Map.of(":Job", "x"), COMMITTED, Map.of()))
                .hasMessageContaining("Dimension name ':Job'");
    }

    @Test
    void write_propertyOfAnotherType_isRefusedNamingIt() {
        assertThatThrownBy(() -> writer.write(APR_09_NOON, JOB, COMMITTED, Map.of("inputs", List.of("a"))))
                .hasMessageContaining("EMF property inputs must be a string, a finite number or a boolean");
    }

    @Test
    void metric_notFiniteOrUnnamed_isRefusedNamingIt() {
        assertThatThrownBy(() -> new Metric("WindowDuration", Metric.Unit.MILLISECONDS, Double.NaN))
                .hasMessage("Metric WindowDuration must have a finite value, not NaN");
        assertThatThrownBy(() -> Metric.count(" ", 1)).hasMessageContaining("Metric name ' '");
    }

    @Test
    void namespace_cloudWatchRejects_isRefusedNamingIt() {
        assertThat(new EmfWriter("Backfill/prod-stack").namespace()).isEqualTo("Backfill/prod-stack");
        assertThatThrownBy(() -> new EmfWriter("AWS/Lambda")).hasMessageContaining("Metric namespace 'AWS/Lambda'");
        assertThatThrownBy(() -> new EmfWriter("")).hasMessageContaining("Metric namespace ''");
        assertThatThrownBy(() -> new EmfWriter("back fill")).hasMessageContaining("Metric namespace 'back fill'");
        assertThatThrownBy(() -> new EmfWriter("x".repeat(256))).hasMessageContaining("must be 1 to 255");
    }
}
