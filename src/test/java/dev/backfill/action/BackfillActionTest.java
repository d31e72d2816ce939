package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.dispatch.DispatchFailedException;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.PreconditionFailedException;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The backfill action: one message per window, reprocess policies, order, idempotency, resuming a dispatch. */
class BackfillActionTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_30 = LocalDate.of(2026, 4, 30);
    private static final String APR_09_TO_APR_30 =
            "{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-09\",\"end\":\"2026-04-30\"";

    private final Operator operator = Operator.inMemory(Instant.parse("2026-11-25T10:15:30Z"));
    private final ObjectStore store = operator.store();
    private final MutableClock clock = operator.clock();

    @AfterEach
    void close() {
        operator.close();
    }

    @Test
    void backfill_21Days_sendsOneMessagePerWindowOldestFirst_underOneRunAndFence() {
        JsonNode answer = operator.call(APR_09_TO_APR_30 + "}");

        assertThat(answer.get("windows").asInt()).isEqualTo(21);
        assertThat(answer.get("enqueued").asInt()).isEqualTo(21);
        assertThat(answer.get("first").asText()).isEqualTo("2026-04-09");
        assertThat(answer.get("last").asText()).isEqualTo("2026-04-29");
        List<WindowMessage> sent = operator.queue().sent();
        assertThat(sent).extracting(message -> message.window().date())
                .containsExactlyElementsOf(APR_09.datesUntil(APR_30).toList());
        assertThat(sent).allSatisfy(message -> {
            assertThat(message.runId()).isEqualTo(answer.get("runId").asText());
            assertThat(message.fence()).isEqualTo(answer.get("fence").asLong());
        });
    }

    @Test
    void backfill_writesNoLedgerObjectPerWindow_onlyTheRunItsProgressAndItsIndex() {
        String runId = operator.call(APR_09_TO_APR_30 + "}").get("runId").asText();

        assertThat(store.list("_backfill/")).extracting(ObjectSummary::key)
                .hasSize(5)
                .contains("_backfill/runs/" + runId + "/run.json", "_backfill/runs/" + runId + "/sent/00000",
                        "_backfill/fences/daily_event_counts.json")
                .filteredOn(key -> key.startsWith("_backfill/index/")).hasSize(2);
    }

    @Test
    void backfill_orderNewest_sendsTheNewestWindowFirst() {
        operator.call(APR_09_TO_APR_30 + ",\"order\":\"newest\"}");

        assertThat(operator.queue().sent()).extracting(message -> message.window().label())
                .startsWith("2026-04-29", "2026-04-28").endsWith("2026-04-09");
    }

    @Test
    void backfill_reprocessMissing_runsOnlyWindowsWithoutACommittedPartition() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_30);
        operator.call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-09\","
                + "\"end\":\"2026-04-19\"}");
        operator.work();

        JsonNode answer = operator.call(APR_09_TO_APR_30 + ",\"reprocess\":\"missing\"}");

        assertThat(answer.get("windows").asInt()).isEqualTo(11);
        assertThat(answer.get("skipped").get("committed").asInt()).isEqualTo(10);
        assertThat(operator.queue().sent()).extracting(message -> message.window().label())
                .containsExactlyElementsOf(LocalDate.of(2026, 4, 19).datesUntil(APR_30).map(LocalDate::toString)
                        .toList());
    }

    @Test
    void backfill_reprocessStale_runsWindowsWhoseInputsChangedSinceTheirCommit() {
        DemoEventGenerator generator = DemoEventGenerator.standard();
        generator.writeDays(store, APR_09, APR_30);
        operator.call(APR_09_TO_APR_30 + "}");
        operator.work();
        LocalDate apr_12 = LocalDate.of(2026, 4, 12);
        store.put(DemoEventGenerator.keyOf(apr_12), generator.day(apr_12.plusDays(1)));
        store.put("raw/events/dt=2026-04-20/late-arrival.jsonl.gz", generator.day(apr_12));

        JsonNode answer = operator.call(APR_09_TO_APR_30 + ",\"reprocess\":\"stale\"}");

        assertThat(answer.get("windows").asInt()).isEqualTo(2);
        assertThat(answer.get("skipped").get("up to date").asInt()).isEqualTo(19);
        assertThat(operator.queue().sent()).extracting(message -> message.window().label())
                .containsExactly("2026-04-12", "2026-04-20");
    }

    @Test
    void backfill_reprocessFailed_runsOnlyWindowsWhoseLatestAttemptFailed() {
        DemoEventGenerator.standard().writeDays(store, APR_09, LocalDate.of(2026, 4, 20));
        operator.call(APR_09_TO_APR_30 + "}");
        operator.work();
        clock.advance(java.time.Duration.ofMinutes(5));

        JsonNode answer = operator.call(APR_09_TO_APR_30 + ",\"reprocess\":\"failed\"}");

        assertThat(answer.get("windows").asInt()).isEqualTo(10);
        assertThat(answer.get("first").asText()).isEqualTo("2026-04-20");
        assertThat(answer.get("skipped").get("latest attempt succeeded").asInt()).isEqualTo(11);
    }

    @Test
    void backfill_nothingToRun_answersSkippedAndStartsNoRun() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_30);
        operator.call(APR_09_TO_APR_30 + "}");
        operator.work();

        JsonNode answer = operator.call(APR_09_TO_APR_30 + ",\"reprocess\":\"missing\"}");

        assertThat(answer.get("runId").isNull()).isTrue();
        assertThat(answer.get("windows").asInt()).isZero();
        assertThat(answer.get("skipped").get("committed").asInt()).isEqualTo(21);
        assertThat(operator.queue().sent()).isEmpty();
    }

    @Test
    void backfill_sameIdempotencyKeyTwice_answersTheFirstRunAndSendsNothingAgain() {
        JsonNode first = operator.call(APR_09_TO_APR_30 + ",\"idempotencyKey\":\"cli-42\"}");
        clock.advance(java.time.Duration.ofSeconds(30));

        JsonNode second = operator.call(APR_09_TO_APR_30 + ",\"idempotencyKey\":\"cli-42\"}");

        assertThat(second.get("runId").asText()).isEqualTo(first.get("runId").asText());
        assertThat(second.get("fence").asLong()).isEqualTo(first.get("fence").asLong());
        assertThat(second.get("replayed").asBoolean()).isTrue();
        assertThat(operator.queue().sent()).hasSize(21);
    }

    @Test
    void backfill_idempotencyKeyOfAnotherRequest_isRefused() {
        String runId = operator.call(APR_09_TO_APR_30 + ",\"idempotencyKey\":\"cli-42\"}").get("runId").asText();

        operator.refused("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-09\","
                        + "\"end\":\"2026-04-20\",\"idempotencyKey\":\"cli-42\"}",
                "idempotencyKey 'cli-42' was already used for a different request (run " + runId
                        + ": backfill daily_event_counts 2026-04-09..2026-04-30 reprocess=all order=oldest)");
    }

    @Test
    void backfill_dispatcherFailedHalfWay_itsRetrySendsOnlyTheChunksNotYetSent() {
        String request = "{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2025-01-01\","
                + "\"end\":\"2025-09-08\",\"idempotencyKey\":\"k\"}";
        operator.queue().refuse("2025-05-01");

        assertThatThrownBy(() -> operator.call(request))
                .isInstanceOf(DispatchFailedException.class)
                .hasMessageContaining("Enqueued 249 of 250 windows of run ");
        operator.queue().refuse();
        operator.queue().drain();

        JsonNode answer = operator.call(request);

        assertThat(answer.get("enqueued").asInt()).isEqualTo(250);
        assertThat(operator.queue().sent()).hasSize(100).extracting(message -> message.window().label())
                .startsWith("2025-04-11").endsWith("2025-07-19");
    }

    /**
     * On AWS the SDK retries a PUT whose answer timed out; when the first attempt was stored, the retry of an
     * {@code If-None-Match: *} write answers 412. Emulators never do this, so a store that does it stands in.
     */
    @Test
    void backfill_whoseRunRecordPutIsRetriedAfterItWasStored_isStillANewIndexedRun() {
        ObjectStore retriedPut = new dev.backfill.store.ForwardingObjectStore(store) {
            @Override
            public ObjectVersion putIfAbsent(String key, byte[] content) {
                super.putIfAbsent(key, content);
                throw new PreconditionFailedException(key);
            }
        };
        try (Operator retrying = new Operator(retriedPut, clock, ZoneOffset.UTC, 3660,
                List.of(DailyEventCounts.fixed()))) {
            JsonNode answer = retrying.call(APR_09_TO_APR_30 + "}");

            assertThat(answer.get("replayed").asBoolean()).isFalse();
            assertThat(retrying.queue().sent()).hasSize(21);
            assertThat(retrying.call("{\"action\":\"runs\",\"limit\":1}").get("runs").get(0).get("runId").asText())
                    .isEqualTo(answer.get("runId").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            reversed range   | {"action":"backfill","job":"daily_event_counts","start":"2026-04-30","end":"2026-04-01"} | Cannot split range: end 2026-04-01 is not after start 2026-04-30 (end is exclusive)
            malformed date   | {"action":"backfill","job":"daily_event_counts","start":"2026-02-30","end":"2026-03-01"} | Malformed start date '2026-02-30' (expected yyyy-MM-dd)
            missing end      | {"action":"backfill","job":"daily_event_counts","start":"2026-02-01"} | Missing end date (expected yyyy-MM-dd)
            unknown job      | {"action":"backfill","job":"daily_evnt_counts","start":"2026-04-09","end":"2026-04-30"} | Unknown job 'daily_evnt_counts'; known jobs: [daily_event_counts]
            unknown field    | {"action":"backfill","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-30","orderr":"newest"} | Unknown field(s) [orderr] for action 'backfill'; allowed: [action, end, idempotencyKey, inputsAsOf, job, order, publish, reprocess, start]
            bad reprocess    | {"action":"backfill","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-30","reprocess":"some"} | Unknown reprocess 'some'; allowed: [all, failed, missing, stale]
            bad order        | {"action":"backfill","job":"daily_event_counts","start":"2026-04-09","end":"2026-04-30","order":7} | Field 'order' must be a string, not Integer
            future end       | {"action":"backfill","job":"daily_event_counts","start":"2026-11-20","end":"2026-11-27"} | Cannot backfill up to end 2026-11-27: the days from 2026-11-25 on have not ended in Z (end is exclusive; at most 2026-11-25)
            too many windows | {"action":"backfill","job":"daily_event_counts","start":"2010-01-01","end":"2026-01-01"} | Cannot split range 2010-01-01 .. 2026-01-01: 5844 windows exceed the maximum of 3660
            control chars    | {"action":"backfill","job":"daily\\u0000counts","start":"2026-04-09","end":"2026-04-30"} | Field 'job' must be 1 to 256 characters without control characters: 'daily\\u0000counts'
            unknown action   | {"action":"backfil","job":"daily_event_counts"} | Unknown action 'backfil'; supported: [audit, backfill, cancel, diff, discard, plan, publish, read, redrive, report, retry, runs, status, watermark]
            """)
    void badRequest_isRefusedNamingTheFieldAndValue_andWritesAndSendsNothing(String name, String json,
                                                                              String message) {
        operator.refused(json, message);

        assertThat(store.listVersions("")).isEmpty();
        assertThat(operator.queue().sendCalls()).isZero();
    }
}
