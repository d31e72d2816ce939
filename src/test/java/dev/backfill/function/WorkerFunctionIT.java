package dev.backfill.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.testing.EmfSpec;
import dev.backfill.testing.FunctionOutput;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The worker tests, run against the packaged artifact (the native binary when built with -Dnative); and what the
 * packaged function prints while it works a window: JSON log lines with the window's correlation fields, and one EMF
 * document per window whose metrics say what the window did.
 */
@QuarkusIntegrationTest
class WorkerFunctionIT extends WorkerFunctionTest {

    /** A day no other test commits: a commit by another run of the class would supersede this one. */
    private static final LocalDate APR_11 = LocalDate.of(2026, 4, 11);

    @Test
    void committedWindow_printsJsonLogLinesWithItsFields_andOneEmfDocumentOfWhatItDid() {
        DemoEventGenerator.standard().writeDays(store, APR_11, APR_11.plusDays(1));
        FunctionOutput output = FunctionOutput.mark();

        invoke(sendAndReceive(message("run-logs", APR_11).toJson()));

        List<String> lines = output.awaitLine(emfOf("run-logs"));
        assertThat(lines).allSatisfy(line -> assertThat(EmfSpec.parse(line).isObject()).as(line).isTrue());
        JsonNode summary = windowLine(lines, "run-logs");
        JsonNode mdc = summary.get("mdc");
        assertThat(summary.get("level").asText()).isEqualTo("INFO");
        assertThat(mdc.get("job").asText()).isEqualTo("daily_event_counts");
        assertThat(mdc.get("window").asText()).isEqualTo("2026-04-11");
        assertThat(mdc.get("attempt").asText()).isEqualTo("1");
        assertThat(mdc.get("outcome").asText()).isEqualTo("committed");
        assertThat(mdc.get("rows").asText()).isEqualTo("4");
        assertThat(Long.parseLong(mdc.get("durationMs").asText())).isNotNegative();
        assertThat(mdc.get("requestId").asText()).isNotBlank().isNotEqualTo(RequestIds.NONE);

        String document = emfDocument(lines, "run-logs");
        assertThat(EmfSpec.violations(document)).isEmpty();
        // In any order: the EMF library keeps a document's metrics in a hash map.
        assertThat(EmfSpec.metricValues(document)).containsOnly(
                Map.entry("WindowsCommitted", 1.0), Map.entry("WindowsFailed", 0.0),
                Map.entry("WindowsSuperseded", 0.0),
                Map.entry("WindowDuration", Double.parseDouble(mdc.get("durationMs").asText())),
                Map.entry("RowsWritten", (double) manifest(APR_11).rows()),
                // One LIST of the day's prefix, one GET of its one input object.
                Map.entry("UpstreamRequests", 2.0), Map.entry("UpstreamThrottled", 0.0));
        JsonNode root = EmfSpec.parse(document);
        assertThat(root.get("Job").asText()).isEqualTo("daily_event_counts");
        assertThat(root.get("requestId").asText()).isEqualTo(mdc.get("requestId").asText());
    }

    @Test
    void failedWindow_logsTheErrorWithItsFields_andCountsAFailure() {
        FunctionOutput output = FunctionOutput.mark();

        invoke(sendAndReceive(message("run-logs-early", MAY_01).toJson()));

        List<String> lines = output.awaitLine(emfOf("run-logs-early"));
        assertThat(lines).allSatisfy(line -> assertThat(EmfSpec.parse(line).isObject()).as(line).isTrue());
        JsonNode summary = windowLine(lines, "run-logs-early");
        assertThat(summary.get("level").asText()).isEqualTo("WARN");
        assertThat(summary.at("/mdc/outcome").asText()).isEqualTo("retrying");
        assertThat(summary.at("/mdc/window").asText()).isEqualTo("2026-05-01");
        assertThat(summary.at("/mdc/error").asText())
                .startsWith("RetryableException: No input objects under raw/events/dt=2026-05-01/");
        assertThat(EmfSpec.metricValues(emfDocument(lines, "run-logs-early")))
                .containsEntry("WindowsFailed", 1.0).containsEntry("WindowsCommitted", 0.0)
                .containsEntry("RowsWritten", 0.0).containsEntry("UpstreamRequests", 1.0);
    }

    /** The EMF document of run {@code runId}'s window. */
    static Predicate<String> emfOf(String runId) {
        return line -> EmfSpec.isEmf(line) && runId.equals(EmfSpec.parse(line).path("runId").asText());
    }

    /** The one log line that ends the window of {@code runId}: the one that says its outcome. */
    private static JsonNode windowLine(List<String> lines, String runId) {
        List<JsonNode> ends = lines.stream().filter(line -> !EmfSpec.isEmf(line)).map(EmfSpec::parse)
                .filter(line -> runId.equals(line.at("/mdc/runId").asText()) && line.at("/mdc/outcome").isTextual())
                .toList();
        assertThat(ends).hasSize(1);
        return ends.get(0);
    }

    private static String emfDocument(List<String> lines, String runId) {
        List<String> documents = lines.stream().filter(emfOf(runId)).toList();
        assertThat(documents).hasSize(1);
        return documents.get(0);
    }
}
