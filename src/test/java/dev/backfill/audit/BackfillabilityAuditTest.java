package dev.backfill.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit's four questions: the example job passes all four, and each flawed job fails exactly its own. */
class BackfillabilityAuditTest {

    private static final Instant NOW = Instant.parse("2026-04-20T09:00:00Z");
    private static final LocalDate DAY = LocalDate.of(2026, 4, 9);

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private Operator operator;

    @BeforeEach
    void setUp() {
        // Ten days of raw events around the day; nothing older, though one job claims 30 days of history.
        DemoEventGenerator.standard().writeDays(store, DAY.minusDays(5), NOW.atZone(ZoneOffset.UTC).toLocalDate());
        FlawedJobs.KeepsAStaticCache.SEEN.clear();
        operator = new Operator(store, clock, ZoneOffset.UTC, 3660, List.of(DailyEventCounts.fixed(),
                new FlawedJobs.ReadsTheClock(), new FlawedJobs.Appends(), new FlawedJobs.KeepsAStaticCache(),
                new FlawedJobs.ClaimsAHistory(), new FlawedJobs.DeclaresNoInputs()));
    }

    @AfterEach
    void tearDown() {
        operator.close();
    }

    @Test
    void exampleJob_isBackfillable_scoresFour() {
        JsonNode answer = audit(DailyEventCounts.NAME);

        assertThat(answer.path("score").asInt()).as(answer.toPrettyString()).isEqualTo(4);
        assertThat(passed(answer)).containsExactly(true, true, true, true);
        assertThat(answer.path("questions").get(0).path("evidence").asText()).contains("identical");
        assertThat(answer.path("questions").get(0).path("fix").isNull()).isTrue();
    }

    @Test
    void jobReadingTheClock_failsOnlyWindowParameterized() {
        JsonNode answer = audit("reads_the_clock");

        assertThat(passed(answer)).as(answer.toPrettyString()).containsExactly(false, true, true, true);
        assertThat(answer.path("score").asInt()).isEqualTo(3);
        assertThat(answer.path("questions").get(0).path("fix").asText()).contains("never from the clock");
        assertThat(answer.path("questions").get(1).path("evidence").asText()).contains("by count only");
    }

    @Test
    void jobAppendingToItsOutput_failsOnlyIdempotentLoad() {
        JsonNode answer = audit("appends");

        assertThat(passed(answer)).as(answer.toPrettyString()).containsExactly(true, false, true, true);
        assertThat(answer.path("questions").get(1).path("evidence").asText())
                .contains("committed once: 1 rows").contains("committed again over it: 2 rows");
    }

    @Test
    void jobWithAStaticCache_failsOnlyHiddenState() {
        JsonNode answer = audit("keeps_a_static_cache");

        assertThat(passed(answer)).as(answer.toPrettyString()).containsExactly(true, true, true, false);
        assertThat(answer.path("questions").get(3).path("evidence").asText()).contains("different");
    }

    @Test
    void jobClaimingMoreHistoryThanItsSourceKeeps_failsOnlyUpstreamHistorical() {
        JsonNode answer = audit("claims_a_history");

        assertThat(passed(answer)).as(answer.toPrettyString()).containsExactly(true, true, false, true);
        assertThat(answer.path("questions").get(2).path("evidence").asText())
                .contains("2026-03-21 (oldest served): no input objects").contains("2026-04-09: ");
    }

    @Test
    void jobWithoutDeclaredInputs_isRunForTheOldestServedDay_andFailsUpstreamHistoricalWhenItIsNotServed() {
        JsonNode answer = audit("declares_no_inputs");

        assertThat(passed(answer)).as(answer.toPrettyString()).containsExactly(true, true, false, true);
        assertThat(answer.path("questions").get(2).path("evidence").asText())
                .contains("2026-04-09: the job ran and committed 1 rows")
                .contains("2026-03-21 (oldest served): the job failed: RetryableException: No input for 2026-03-21");
    }

    @Test
    void audit_neverTouchesTheLiveTable_andRemovesItsScratch_andRestoresTheProcessDefaults() {
        TimeZone zone = TimeZone.getDefault();
        Locale locale = Locale.getDefault();

        JsonNode answer = audit(DailyEventCounts.NAME);

        assertThat(store.list("tables/")).isEmpty();
        assertThat(store.list(BackfillabilityAudit.SCRATCH)).isEmpty();
        assertThat(answer.path("removed").asInt()).isPositive();
        assertThat(answer.path("scratch").asText()).startsWith("_backfill/audit/");
        assertThat(TimeZone.getDefault()).isEqualTo(zone);
        assertThat(Locale.getDefault()).isEqualTo(locale);
    }

    @Test
    void audit_ofTheLiveTableAlreadyCommitted_leavesItByteIdentical() {
        operator.call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-09\","
                + "\"end\":\"2026-04-10\"}");
        operator.work();
        List<ObjectSummary> before = store.list("tables/");

        audit(DailyEventCounts.NAME);

        assertThat(store.list("tables/")).isEqualTo(before);
    }

    @Test
    void audit_defaultsToTheLatestDayWhoseNextDayHasEnded() {
        JsonNode answer = operator.call("{\"action\":\"audit\",\"job\":\"daily_event_counts\"}");

        assertThat(answer.path("day").asText()).isEqualTo("2026-04-18");
    }

    @Test
    void audit_refusesADayThatHasNotEnded_unknownFields_andUnknownJobs_writingNothing() {
        operator.refused("{\"action\":\"audit\",\"job\":\"daily_event_counts\",\"day\":\"2026-04-19\"}",
                "Cannot audit day 2026-04-19: the audit also runs the day after it, and both must have ended; at "
                        + "most 2026-04-18 (in Z)");
        operator.refused("{\"action\":\"audit\",\"job\":\"daily_event_counts\",\"day\":\"09/04/2026\"}",
                "Malformed day date '09/04/2026' (expected yyyy-MM-dd)");
        operator.refused("{\"action\":\"audit\",\"job\":\"daily_event_counts\",\"force\":true}",
                "Unknown field(s) [force] for action 'audit'; allowed: [action, day, job]");
        operator.refused("{\"action\":\"audit\",\"job\":\"no_such_job\"}", "Unknown job 'no_such_job'; known "
                + "jobs: [appends, claims_a_history, daily_event_counts, declares_no_inputs, keeps_a_static_cache, "
                + "reads_the_clock]");

        assertThat(store.list("tables/")).isEmpty();
        assertThat(store.list("_backfill/")).isEmpty();
    }

    private JsonNode audit(String job) {
        return operator.call("{\"action\":\"audit\",\"job\":\"" + job + "\",\"day\":\"" + DAY + "\"}");
    }

    private static List<Boolean> passed(JsonNode answer) {
        return StreamSupport.stream(answer.path("questions").spliterator(), false)
                .map(question -> question.path("passed").asBoolean()).toList();
    }

}
