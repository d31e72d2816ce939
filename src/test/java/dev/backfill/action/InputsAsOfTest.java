package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import dev.backfill.dispatch.Publish;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.InputRef;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunRecord;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code inputsAsOf}: a run reads every input as it was at an instant, whatever happened to the inputs since. */
class InputsAsOfTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_10 = LocalDate.of(2026, 4, 10);
    private static final LocalDate APR_11 = LocalDate.of(2026, 4, 11);
    private static final LocalDate APR_12 = LocalDate.of(2026, 4, 12);
    private static final String BACKFILL = "{\"action\":\"backfill\",\"job\":\"daily_event_counts\","
            + "\"start\":\"2026-04-09\",\"end\":\"2026-04-12\"";
    private static final List<String> LABELS = List.of("2026-04-09", "2026-04-10", "2026-04-11");

    private final Operator operator = Operator.inMemory(Instant.parse("2026-11-25T10:15:30Z"));
    private final ObjectStore store = operator.store();
    private final MutableClock clock = operator.clock();

    @AfterEach
    void close() {
        operator.close();
    }

    @Test
    void inputsAsOf_reproducesExactlyTheBytesARunAtThatInstantWrote_afterInputsWereOverwrittenDeletedAndAdded() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        clock.advance(Duration.ofMinutes(1));
        operator.call(BACKFILL + "}");
        operator.work();
        Map<String, String> atT = parts();
        Map<String, List<InputRef>> inputsAtT = inputs();
        clock.advance(Duration.ofMinutes(1));
        Instant t = clock.instant();
        clock.advance(Duration.ofMinutes(1));
        new DemoEventGenerator(99, 700).writeDays(store, APR_09, APR_10);
        store.deleteAll(List.of(DemoEventGenerator.keyOf(APR_10)));
        store.put(DailyEventCounts.SOURCE_PREFIX + "dt=2026-04-11/events-0001.jsonl.gz",
                new DemoEventGenerator(5, 100).day(APR_11));
        clock.advance(Duration.ofMinutes(1));

        JsonNode answer = operator.call(BACKFILL + ",\"inputsAsOf\":\"" + t + "\"}");
        operator.work();

        assertThat(answer.get("enqueued").asInt()).isEqualTo(3);
        assertThat(parts()).isEqualTo(atT);
        assertThat(inputs()).isEqualTo(inputsAtT);
        LABELS.forEach(label -> assertThat(manifest(label).runId()).isEqualTo(answer.get("runId").asText()));
        Manifest apr09 = manifest("2026-04-09");
        assertThat(apr09.inputs()).isNotEqualTo(List.of(new InputRef(DemoEventGenerator.keyOf(APR_09),
                store.get(DemoEventGenerator.keyOf(APR_09)).orElseThrow().version().versionId())));
    }

    @Test
    void inputsAsOf_andPublish_areRecordedInTheRun_andCarriedByEveryMessage() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        Instant t = clock.instant().minus(Duration.ofDays(3));

        String runId = operator.call(BACKFILL + ",\"inputsAsOf\":\"" + t + "\",\"publish\":\"staged\"}")
                .get("runId").asText();

        RunRecord run = new RunLedger(store).run(runId).orElseThrow();
        assertThat(run.inputsAsOf()).isEqualTo(t);
        assertThat(run.publish()).isEqualTo("staged");
        assertThat(operator.queue().sent()).hasSize(3).allSatisfy(message -> {
            assertThat(message.inputsAsOf()).isEqualTo(t);
            assertThat(message.publishMode()).isEqualTo(Publish.STAGED);
        });
        assertThat(operator.queue().sent().get(0).toJson()).endsWith(",\"publish\":\"staged\",\"inputsAsOf\":\""
                + t + "\"}");
    }

    @Test
    void aPlainRun_keepsTheMessageShape_andAnOldRunRecordReadsAsDirect() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        String runId = operator.call(BACKFILL + "}").get("runId").asText();

        WindowMessage sent = operator.queue().sent().get(0);
        assertThat(sent.toJson()).endsWith(",\"fence\":" + sent.fence() + "}");
        String stored = new String(store.get(RunLedger.runKey(runId)).orElseThrow().content(),
                java.nio.charset.StandardCharsets.UTF_8);
        String old = stored.replace(",\"publish\":\"direct\",\"inputsAsOf\":null", "");
        assertThat(old).doesNotContain("publish");
        RunRecord read = Json.read(old.getBytes(java.nio.charset.StandardCharsets.UTF_8), RunRecord.class);
        assertThat(read.publish()).isEqualTo("direct");
        assertThat(read.inputsAsOf()).isNull();
    }

    @Test
    void anInputVersionListedInTheSecondOfTheInstant_failsTheWindow_ratherThanGuess() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_10);
        Instant written = clock.instant();
        clock.advance(Duration.ofMinutes(1));

        String runId = operator.call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":"
                + "\"2026-04-09\",\"end\":\"2026-04-10\",\"inputsAsOf\":\"" + written.plusMillis(400) + "\"}")
                .get("runId").asText();
        operator.work();

        JsonNode failure = operator.call("{\"action\":\"status\",\"runId\":\"" + runId + "\"}").get("failures").get(0);
        assertThat(failure.get("error").asText()).isEqualTo("BackfillException: Input "
                + DemoEventGenerator.keyOf(APR_09) + " has a version listed at " + written + ", the second of "
                + "inputsAsOf " + written.plusMillis(400) + ": S3 times versions to the second, so whether it was "
                + "current at that instant is unknown; choose an instant outside that second");
    }

    @Test
    void inputsAsOf_inTheFuture_beforeTheRetention_orMalformed_isRefused_andNothingIsWrittenOrSent() {
        Instant now = clock.instant();

        operator.refused(BACKFILL + ",\"inputsAsOf\":\"2026-11-25T10:15:31Z\"}", "Cannot read inputs as of "
                + "2026-11-25T10:15:31Z: it is in the future (now " + now + ")");
        operator.refused(BACKFILL + ",\"inputsAsOf\":\"2026-08-27T10:15:29Z\"}", "Cannot read inputs as of "
                + "2026-08-27T10:15:29Z: replaced input versions are kept 90 days (NoncurrentVersionRetentionDays), "
                + "so at most back to 2026-08-27T10:15:30Z");
        operator.refused(BACKFILL + ",\"inputsAsOf\":\"yesterday\"}", "Malformed inputsAsOf 'yesterday' (expected "
                + "an ISO instant such as 2026-11-25T02:00:00Z)");
        assertThat(store.list("")).isEmpty();
        assertThat(operator.queue().sent()).isEmpty();
    }

    private Manifest manifest(String label) {
        return Json.read(store.get(new PartitionPath(DailyEventCounts.NAME, label).manifestKey()).orElseThrow()
                .content(), Manifest.class);
    }

    /** Each partition's part bytes, through its manifest. */
    private Map<String, String> parts() {
        Map<String, String> bytes = new TreeMap<>();
        for (String label : LABELS) {
            Manifest manifest = manifest(label);
            StringBuilder all = new StringBuilder();
            manifest.parts().forEach(part -> all.append(HexFormat.of().formatHex(
                    store.getVersion(part.key(), part.versionId()).orElseThrow().content())));
            bytes.put(label, all.toString());
        }
        return bytes;
    }

    private Map<String, List<InputRef>> inputs() {
        Map<String, List<InputRef>> inputs = new TreeMap<>();
        LABELS.forEach(label -> inputs.put(label, manifest(label).inputs()));
        return inputs;
    }
}
