package dev.backfill.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.testing.EmfSpec;
import dev.backfill.testing.FunctionOutput;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher tests, run against the packaged artifact (the native binary when built with -Dnative); and the
 * metrics document a dispatch prints.
 */
@QuarkusIntegrationTest
class DispatcherFunctionIT extends DispatcherFunctionTest {

    /** The guide's hour-grain job is a bean of the tests only: the packaged zip does not hold it. */
    @Override
    @Test
    void jobs_anHourGrainBeanOfTheTests_isFoundWithItsGrain() {
        invoke("""
                {"action":"plan","job":"hourly_purchases","start":"2026-04-09","end":"2026-04-10"}""")
                .then().statusCode(500)
                .body("errorMessage", org.hamcrest.Matchers.equalTo(
                        "Unknown job 'hourly_purchases'; known jobs: [api_daily_snapshot, daily_event_counts]"));
    }

    @Test
    void backfill_printsOneEmfDocumentCountingTheWindowsItEnqueued() {
        FunctionOutput output = FunctionOutput.mark();

        String runId = invoke("""
                {"action":"backfill","job":"daily_event_counts","start":"2026-06-01","end":"2026-06-04"}""")
                .then().statusCode(200).extract().path("runId");

        List<String> documents = output.awaitLine(WorkerFunctionIT.emfOf(runId)).stream()
                .filter(WorkerFunctionIT.emfOf(runId)).toList();
        assertThat(documents).hasSize(1);
        assertThat(EmfSpec.violations(documents.get(0))).isEmpty();
        assertThat(EmfSpec.metricValues(documents.get(0))).containsExactly(Map.entry("WindowsDispatched", 3.0));
        JsonNode root = EmfSpec.parse(documents.get(0));
        assertThat(root.get("Job").asText()).isEqualTo("daily_event_counts");
        assertThat(root.get("requestId").asText()).isNotBlank();
    }
}
