package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code report}: a run's before/after report, its HTML (charts, table) and CSV checked against the diff. */
class ReportActionTest {

    private static final Pattern SVG = Pattern.compile("<svg class=\"chart\".*?</svg>", Pattern.DOTALL);
    private static final Pattern BAR = Pattern.compile(
            "<rect class=\"(before|after)\" data-day=\"([0-9-]+)\" data-value=\"([0-9.-]+)\"");

    private final TimeTravelFixture fixture = new TimeTravelFixture().story();
    private JsonNode answer;
    private JsonNode diff;
    private String html;

    @BeforeEach
    void report() {
        answer = fixture.fixed.call("{\"action\":\"report\",\"runId\":\"" + fixture.fixRun + "\"}");
        diff = fixture.fixed.call("{\"action\":\"diff\",\"table\":\"daily_event_counts\"," + TimeTravelFixture.RANGE
                + ",\"before\":\"" + answer.path("before").asText() + "\",\"after\":\""
                + answer.path("after").asText() + "\"}");
        html = text(answer.path("html").path("key").asText());
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void report_comparesTheRunsDaysFromItsCreationToNow_andAnswersWhereTheFilesAre() {
        assertThat(answer.path("runId").asText()).isEqualTo(fixture.fixRun);
        assertThat(answer.path("days").asInt()).isEqualTo(3);
        assertThat(answer.path("before").asText()).isEqualTo(fixture.ledgerCreatedAt(fixture.fixRun));
        assertThat(answer.path("html").path("key").asText())
                .isEqualTo("_backfill/runs/" + fixture.fixRun + "/report.html");
        assertThat(answer.path("csv").path("key").asText())
                .isEqualTo("_backfill/runs/" + fixture.fixRun + "/report.csv");
        assertThat(answer.path("html").path("versionId").asText()).isNotBlank();
        assertThat(answer.path("totals").path("events").path("delta").asLong()).isZero();
        assertThat(answer.path("totals").path("amount_cents"))
                .isEqualTo(diff.path("totals").path("amount_cents"));
        long purchases = 0;
        for (String day : List.of("2026-04-09", "2026-04-10", "2026-04-11")) {
            purchases += purchase(day).path("measures").path("events").path("delta").asLong();
        }
        assertThat(purchases).isNegative();
        assertThat(answer.path("byKey").path("type=purchase").path("events").path("delta").asLong())
                .isEqualTo(purchases);
    }

    @Test
    void html_hasOneChartPerMeasure_withOneBarPerDayAndSeries_matchingTheDiff() {
        List<String> charts = new ArrayList<>();
        SVG.matcher(html).results().forEach(result -> charts.add(result.group()));

        assertThat(charts).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String measure = diff.path("measures").get(i).asText();
            String chart = charts.get(i);
            assertThat(chart).contains(">" + measure + " of type=purchase per day</text>")
                    .contains("class=\"axis-label\"", "day (2026-04-09 .. 2026-04-11)")
                    .contains(">" + measure + " of type=purchase</text>")
                    .contains("before (", "after (");
            Matcher bars = BAR.matcher(chart);
            List<String> seen = new ArrayList<>();
            while (bars.find()) {
                String day = bars.group(2);
                JsonNode change = purchase(day).path("measures").path(measure);
                assertThat(bars.group(3)).as("%s %s %s", measure, bars.group(1), day)
                        .isEqualTo(change.path(bars.group(1)).asText());
                seen.add(bars.group(1) + " " + day);
            }
            assertThat(seen).containsExactlyInAnyOrder("before 2026-04-09", "after 2026-04-09",
                    "before 2026-04-10", "after 2026-04-10", "before 2026-04-11", "after 2026-04-11");
        }
    }

    @Test
    void html_isSelfContained_andStatesTheRunsFacts() {
        assertThat(html).doesNotContainIgnoringCase("http").doesNotContainIgnoringCase("<script")
                .doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("src=")
                .doesNotContainIgnoringCase("url(").doesNotContainIgnoringCase("@import");
        assertThat(html).contains(fixture.fixRun, "daily_event_counts", "2026-04-09 .. 2026-04-11",
                "1.4.2 → 1.4.2", "<table>", "type=purchase", "type=refund");
    }

    @Test
    void csv_hasOneLinePerDayAndKey_withEachMeasureBeforeAfterDeltaAndPercent() {
        List<String> lines = text(answer.path("csv").path("key").asText()).lines().toList();

        assertThat(lines.get(0)).isEqualTo("day,presence,type,status,events_before,events_after,events_delta,"
                + "events_percent,users_before,users_after,users_delta,users_percent,amount_cents_before,"
                + "amount_cents_after,amount_cents_delta,amount_cents_percent");
        int rows = 0;
        for (JsonNode day : diff.path("days")) {
            rows += day.path("rows").size();
        }
        assertThat(lines).hasSize(rows + 1);
        JsonNode events = purchase("2026-04-10").path("measures").path("events");
        assertThat(lines).contains("2026-04-10,both,purchase,changed," + events.path("before").asText() + ","
                + events.path("after").asText() + "," + events.path("delta").asText() + ","
                + events.path("percent").asText() + "," + String.join(",", rest("2026-04-10")));
    }

    @Test
    void unknownRun_isRefused_andNothingIsWritten() {
        List<ObjectVersionSummary> before = fixture.store.listVersions("");

        fixture.fixed.refused("{\"action\":\"report\",\"runId\":\"20260101T000000Z-000000\"}",
                "Unknown runId '20260101T000000Z-000000'");
        fixture.fixed.refused("{\"action\":\"report\",\"runId\":\"../x\"}",
                "Malformed runId '../x' (expected a run id such as 20261125T144019Z-3d187b)");

        assertThat(fixture.store.listVersions("")).isEqualTo(before);
    }

    private List<String> rest(String day) {
        List<String> cells = new ArrayList<>();
        for (String measure : List.of("users", "amount_cents")) {
            JsonNode change = purchase(day).path("measures").path(measure);
            for (String field : List.of("before", "after", "delta", "percent")) {
                cells.add(change.path(field).isNull() ? "" : change.path(field).asText());
            }
        }
        return cells;
    }

    private JsonNode purchase(String label) {
        for (JsonNode day : diff.path("days")) {
            for (JsonNode row : day.path("rows")) {
                if (day.path("label").asText().equals(label) && row.path("key").path("type").asText()
                        .equals("purchase")) {
                    return row;
                }
            }
        }
        throw new AssertionError("No purchase row on " + label);
    }

    private String text(String key) {
        return new String(fixture.store.get(key).orElseThrow().content(), StandardCharsets.UTF_8);
    }
}
