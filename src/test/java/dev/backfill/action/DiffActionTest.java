package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code diff}: a table between two snapshots, by day and key, through the router over an in-memory bucket. */
class DiffActionTest {

    private final TimeTravelFixture fixture = new TimeTravelFixture().story();

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void diff_beforeAndAfterTheFix_movesRefundsOutOfPurchases_perDayAndKey() {
        JsonNode diff = fixture.fixed.call("{\"action\":\"diff\",\"table\":\"daily_event_counts\","
                + TimeTravelFixture.RANGE + ",\"before\":\"" + fixture.buggyTime + "\",\"after\":\"now\"}");

        assertThat(diff.path("measures")).extracting(JsonNode::asText)
                .containsExactly("events", "users", "amount_cents");
        assertThat(diff.path("keys")).extracting(JsonNode::asText).containsExactly("type");
        assertThat(diff.path("after").path("snapshot").asText()).isEqualTo("now");
        assertThat(diff.path("after").path("asOf").asText()).isEqualTo(fixture.clock.instant().toString());
        assertThat(diff.path("days")).hasSize(3);
        JsonNode day = diff.path("days").get(0);
        assertThat(day.path("presence").asText()).isEqualTo("both");
        assertThat(day.path("beforeRun").asText()).isEqualTo(fixture.buggyRun);
        assertThat(day.path("afterRun").asText()).isEqualTo(fixture.fixRun);
        JsonNode purchase = row(day, "purchase").path("measures").path("events");
        JsonNode refund = row(day, "refund").path("measures").path("events");
        assertThat(row(day, "refund").path("status").asText()).isEqualTo("added");
        assertThat(refund.path("before").isNull()).isTrue();
        long refunds = refund.path("after").asLong();
        assertThat(refunds).isPositive();
        assertThat(purchase.path("before").asLong() - purchase.path("after").asLong()).isEqualTo(refunds);
        assertThat(purchase.path("delta").asLong()).isEqualTo(-refunds);
        assertThat(purchase.path("percent").asDouble()).isCloseTo(
                -100.0 * refunds / purchase.path("before").asLong(), org.assertj.core.data.Offset.offset(0.05));
        // Counting a refund as a purchase moves events between types: the day's total does not change.
        assertThat(day.path("totals").path("events").path("delta").asLong()).isZero();
        assertThat(diff.path("totals").path("events").path("delta").asLong()).isZero();
        assertThat(diff.path("appeared")).isEmpty();
        assertThat(diff.path("vanished")).isEmpty();
    }

    @Test
    void diff_fromBeforeAnythingWasCommitted_showsEveryDayAppearing() {
        JsonNode diff = fixture.fixed.call("{\"action\":\"diff\",\"table\":\"daily_event_counts\","
                + "\"start\":\"2026-04-08\",\"end\":\"2026-04-12\",\"before\":\""
                + TimeTravelFixture.START.minus(Duration.ofMinutes(1)) + "\",\"after\":\"now\"}");

        assertThat(diff.path("appeared")).extracting(JsonNode::asText)
                .containsExactly("2026-04-09", "2026-04-10", "2026-04-11");
        assertThat(diff.path("days").get(0).path("presence").asText()).isEqualTo("absent");
        assertThat(diff.path("totals").path("events").path("before").isNull()).isTrue();
        assertThat(diff.path("totals").path("events").path("after").asLong()).isPositive();
    }

    @Test
    void badSnapshots_areRefused_andNothingIsWritten() {
        List<ObjectVersionSummary> before = fixture.store.listVersions("");
        String range = "\"action\":\"diff\",\"table\":\"daily_event_counts\"," + TimeTravelFixture.RANGE;

        fixture.fixed.refused("{" + range + ",\"before\":\"staged:20260101T000000Z-000000\",\"after\":\"now\"}",
                "Unknown runId '20260101T000000Z-000000' in before");
        fixture.fixed.refused("{" + range + ",\"before\":\"staged:a/../b\",\"after\":\"now\"}",
                "Malformed before 'staged:a/../b' (expected an ISO instant such as 2026-11-25T02:00:00Z, now, or "
                        + "staged:<runId>)");
        fixture.fixed.refused("{" + range + ",\"before\":\"now\"}", "Missing field 'after'");
        fixture.fixed.refused("{" + range + ",\"before\":\"2026-01-01T00:00:00Z\",\"after\":\"now\"}",
                "Cannot read as of before 2026-01-01T00:00:00Z: history before 2026-02-09T09:05:05Z has expired "
                        + "(replaced versions are kept 90 days, NoncurrentVersionRetentionDays)");
        fixture.fixed.refused("{\"action\":\"diff\",\"table\":\"daily_event_counts\",\"start\":\"2026-04-12\","
                + "\"end\":\"2026-04-09\",\"before\":\"now\",\"after\":\"now\"}",
                "Cannot split range: end 2026-04-09 is not after start 2026-04-12 (end is exclusive)");

        assertThat(fixture.store.listVersions("")).isEqualTo(before);
    }

    private static JsonNode row(JsonNode day, String type) {
        for (JsonNode row : day.path("rows")) {
            if (row.path("key").path("type").asText().equals(type)) {
                return row;
            }
        }
        throw new AssertionError("No row of type " + type + " in " + day.path("label").asText());
    }
}
