package dev.backfill.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.partition.GateCheck;
import dev.backfill.partition.PartitionPath;
import dev.backfill.partition.StagedPartitions;
import dev.backfill.partition.TableReader;
import dev.backfill.partition.PartitionRows;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Staged publish (write–audit–publish) over runs that workers really process: staging, publish, gates, discard. */
class StagedPublishTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_10 = LocalDate.of(2026, 4, 10);
    private static final LocalDate APR_12 = LocalDate.of(2026, 4, 12);
    private static final String TABLE = DailyEventCounts.NAME;
    private static final PartitionPath APR_09_PARTITION = new PartitionPath(TABLE, "2026-04-09");
    private static final String DIRECT = "{\"action\":\"backfill\",\"job\":\"daily_event_counts\","
            + "\"start\":\"2026-04-09\",\"end\":\"2026-04-12\"}";
    private static final String STAGED = DIRECT.replace("}", ",\"publish\":\"staged\"}");

    private final Operator operator = Operator.inMemory(Instant.parse("2026-11-25T10:15:30Z"));
    private final ObjectStore store = operator.store();
    private final MutableClock clock = operator.clock();

    @AfterEach
    void close() {
        operator.close();
    }

    @Test
    void stagedWindows_areInvisibleToTheManifest_toTableReader_andToPrefixReaders() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        run(DIRECT);
        Map<String, String> liveBefore = visible();
        byte[] manifestBefore = store.get(APR_09_PARTITION.manifestKey()).orElseThrow().content();
        NavigableMap<String, PartitionRows> tableBefore = read();
        overwriteInputs();

        String runId = run(STAGED);

        assertThat(store.get(APR_09_PARTITION.manifestKey()).orElseThrow().content()).isEqualTo(manifestBefore);
        assertThat(read()).isEqualTo(tableBefore);
        assertThat(visible()).containsOnlyKeys(liveBefore.keySet());
        assertThat(store.list(APR_09_PARTITION.stagedPrefix(runId))).hasSize(2);
        JsonNode status = operator.call("{\"action\":\"status\",\"runId\":\"" + runId + "\"}");
        assertThat(status.get("state").asText()).isEqualTo("staged");
        assertThat(status.get("counts").get("staged").asInt()).isEqualTo(3);
        assertThat(status.get("percentDone").asDouble()).isEqualTo(100.0);
        NavigableMap<String, PartitionRows> staged = new StagedPartitions(store)
                .read(TABLE, runId, List.of("2026-04-09", "2026-04-10", "2026-04-11"));
        assertThat(staged).containsOnlyKeys("2026-04-09", "2026-04-10", "2026-04-11");
        assertThat(staged.get("2026-04-09").lines()).isNotEqualTo(tableBefore.get("2026-04-09").lines());
    }

    @Test
    void aDuplicateDelivery_acknowledgesTheStagedWindow_andStagingUnderANewerRunIsSuperseded() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        operator.call(STAGED);
        List<dev.backfill.dispatch.WindowMessage> messages = operator.queue().drain();
        messages.forEach(message -> operator.worker().process(message, 1));
        List<ObjectSummary> staged = store.list(PartitionPath.tablePrefix(TABLE));

        dev.backfill.worker.WindowOutcome again = operator.worker().process(messages.get(0), 2);

        assertThat(again.result()).isEqualTo(dev.backfill.worker.WindowOutcome.Result.STAGED);
        assertThat(store.list(PartitionPath.tablePrefix(TABLE))).isEqualTo(staged);
        clock.advance(Duration.ofMinutes(1));
        run(DIRECT);
        dev.backfill.worker.WindowOutcome late = operator.worker().process(messages.get(1)
                .with(dev.backfill.dispatch.Publish.STAGED, null), 3);
        // A newer run owns the day now: publishing this window could only conflict. Its staged objects stay.
        assertThat(late.result()).isEqualTo(dev.backfill.worker.WindowOutcome.Result.SUPERSEDED);
        assertThat(store.list(new PartitionPath(TABLE, messages.get(1).window().label())
                .stagedPrefix(messages.get(1).runId()))).hasSize(2);
        String older = messages.get(0).runId().replace("Z-", "Z-0");
        dev.backfill.worker.WindowOutcome superseded = operator.worker().process(new dev.backfill.dispatch.WindowMessage(
                1, older, TABLE, messages.get(0).window(), messages.get(0).fence() - 1,
                dev.backfill.dispatch.Publish.STAGED, null), 1);
        assertThat(superseded.result()).isEqualTo(dev.backfill.worker.WindowOutcome.Result.SUPERSEDED);
        assertThat(store.list(APR_09_PARTITION.stagedPrefix(older))).isEmpty();
    }

    @Test
    void publish_makesTheStagedWindowsCurrent_deletesStagedAndOldParts_andTwiceDuplicatesNothing() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        run(DIRECT);
        List<String> oldParts = partKeys();
        overwriteInputs();
        String runId = run(STAGED);
        NavigableMap<String, PartitionRows> staged = new StagedPartitions(store)
                .read(TABLE, runId, List.of("2026-04-09", "2026-04-10", "2026-04-11"));

        JsonNode answer = operator.call(publish(runId, ""));

        assertThat(answer.get("counts").toString()).isEqualTo("{\"conflict\":0,\"missing\":0,\"published\":3}");
        NavigableMap<String, PartitionRows> now = read();
        staged.forEach((label, snapshot) -> assertThat(now.get(label).lines()).isEqualTo(snapshot.lines()));
        assertThat(now.get("2026-04-09").manifest().runId()).isEqualTo(runId);
        assertThat(store.list(PartitionPath.tablePrefix(TABLE)).stream().map(ObjectSummary::key))
                .noneMatch(PartitionPath::isRunStaged)
                .doesNotContainAnyElementsOf(oldParts);
        JsonNode status = operator.call("{\"action\":\"status\",\"runId\":\"" + runId + "\"}");
        assertThat(status.get("state").asText()).isEqualTo("succeeded");
        int manifestVersions = store.listVersions(APR_09_PARTITION.manifestKey()).size();

        JsonNode again = operator.call(publish(runId, ""));

        assertThat(again.get("counts").get("published").asInt()).isEqualTo(3);
        assertThat(store.listVersions(APR_09_PARTITION.manifestKey())).hasSize(manifestVersions);
        assertThat(read()).isEqualTo(now);
    }

    @Test
    void directCommitOfAnotherRun_duringStaging_sparesTheStagedObjects_andPublishThenConflicts() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        String stagedRun = run(STAGED);
        List<ObjectSummary> stagedObjects = store.list(APR_09_PARTITION.stagedPrefix(stagedRun));
        clock.advance(Duration.ofHours(1));

        String directRun = run(DIRECT);

        assertThat(store.list(APR_09_PARTITION.stagedPrefix(stagedRun))).isEqualTo(stagedObjects);
        NavigableMap<String, PartitionRows> live = read();
        JsonNode answer = operator.call(publish(stagedRun, ""));
        assertThat(answer.get("counts").get("conflict").asInt()).isEqualTo(3);
        assertThat(answer.get("windows").get(0).get("reason").asText())
                .startsWith("a newer run owns the partition by run " + directRun);
        assertThat(read()).isEqualTo(live);
    }

    @Test
    void publish_ofAPartitionCommittedSinceStaging_isAConflict_andLeavesItAlone() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        run(DIRECT);
        String first = run(STAGED);
        overwriteInputs();
        clock.advance(Duration.ofMinutes(1));
        String second = run(STAGED);
        assertThat(operator.call(publish(second, "")).get("counts").get("published").asInt()).isEqualTo(3);
        NavigableMap<String, PartitionRows> live = read();

        JsonNode answer = operator.call(publish(first, ""));

        assertThat(answer.get("counts").get("conflict").asInt()).isEqualTo(3);
        assertThat(answer.get("windows").get(0).get("reason").asText())
                .startsWith("a newer run owns the partition by run " + second);
        assertThat(read()).isEqualTo(live);
        assertThat(store.list(APR_09_PARTITION.stagedPrefix(first))).isNotEmpty();
    }

    @Test
    void publish_afterAnOlderRunCommitted_conflictsOnTheChangedETag() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_10);
        String staged = run(STAGED.replace("2026-04-12", "2026-04-10"));
        // A hand-made commit of a run older than the staged one: the fence does not forbid it, the ETag does.
        byte[] manifest = store.get(APR_09_PARTITION.stagedManifestKey(staged)).orElseThrow().content();
        store.putIfAbsent(APR_09_PARTITION.manifestKey(), new String(manifest, StandardCharsets.UTF_8)
                .replaceFirst(".*\"manifest\":", "").replaceFirst(",\"baseEtag\".*", "")
                .replace("\"runId\":\"" + staged + "\"", "\"runId\":\"older-run\"").replaceFirst("\"attempt\":\"f\\d+", "\"attempt\":\"f1")
                .getBytes(StandardCharsets.UTF_8));

        JsonNode answer = operator.call(publish(staged, ""));

        assertThat(answer.get("windows").get(0).get("result").asText()).isEqualTo("conflict");
        assertThat(answer.get("windows").get(0).get("reason").asText())
                .isEqualTo("the partition was committed since it was staged by run older-run (fence "
                        + read().get("2026-04-09").manifest().fence() + ")");
        assertThat(read().get("2026-04-09").manifest().runId()).isEqualTo("older-run");
        assertThat(store.list(APR_09_PARTITION.stagedPrefix(staged))).isNotEmpty();
    }

    @Test
    void failingGates_refusePublish_withTheDaysAndValues_andForcePublishes() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        run(DIRECT);
        store.put(DemoEventGenerator.keyOf(APR_10), gzip("{\"ts\":\"2026-04-10T01:00:00Z\",\"user\":\"u1\","
                + "\"type\":\"view\",\"amount_cents\":0}\n"));
        String runId = run(STAGED);
        Map<String, String> liveBefore = visible();
        long eventsBefore = read().get("2026-04-10").lines().stream().mapToLong(StagedPublishTest::events).sum();

        assertThatThrownBy(() -> operator.call(publish(runId, "")))
                .isInstanceOf(GatesFailedException.class)
                .hasMessageStartingWith("Cannot publish run " + runId + ": 4 audit gate check(s) failed on 1 day(s); "
                        + "nothing was published (send \"force\":true to publish anyway, or relax \"gates\"): "
                        + "2026-04-10 maxRowChangePct: rows 4 -> 1 (-75.0 %, limit ±25.0 %); "
                        + "2026-04-10 maxMeasureChangePct: events " + eventsBefore + " -> 1 (")
                .satisfies(e -> assertThat(((GatesFailedException) e).failures()).extracting(GateCheck::label)
                        .containsOnly("2026-04-10"));
        assertThat(visible()).isEqualTo(liveBefore);

        JsonNode relaxed = operator.call(publish(runId, ",\"gates\":{\"maxRowChangePct\":80,"
                + "\"maxMeasureChangePct\":false}"));
        assertThat(relaxed.get("counts").get("published").asInt()).isEqualTo(3);
        assertThat(relaxed.get("gates").toString())
                .isEqualTo("{\"nonEmpty\":true,\"maxRowChangePct\":80.0,\"maxMeasureChangePct\":null}");
        assertThat(read().get("2026-04-10").lines()).hasSize(1);
    }

    @Test
    void force_publishesDespiteFailingGates_andReportsThem() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        run(DIRECT);
        store.put(DemoEventGenerator.keyOf(APR_10), gzip("{\"ts\":\"2026-04-10T01:00:00Z\",\"user\":\"u1\","
                + "\"type\":\"view\",\"amount_cents\":0}\n"));
        String runId = run(STAGED);

        JsonNode answer = operator.call(publish(runId, ",\"force\":true"));

        assertThat(answer.get("forced").asBoolean()).isTrue();
        assertThat(answer.get("counts").get("published").asInt()).isEqualTo(3);
        assertThat(answer.get("failedGates")).hasSize(4);
        assertThat(answer.get("failedGates").get(0).get("label").asText()).isEqualTo("2026-04-10");
        assertThat(answer.get("failedGates").get(0).get("before").asDouble()).isEqualTo(4.0);
        assertThat(answer.get("failedGates").get(0).get("after").asDouble()).isEqualTo(1.0);
        assertThat(read().get("2026-04-10").manifest().runId()).isEqualTo(runId);
    }

    @Test
    void discard_deletesTheStagedOutput_andLeavesTheLiveTableByteIdentical() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        run(DIRECT);
        Map<String, String> before = everything();
        overwriteInputs();
        String runId = run(STAGED);

        JsonNode answer = operator.call("{\"action\":\"discard\",\"runId\":\"" + runId + "\"}");

        assertThat(answer.get("windows").asInt()).isEqualTo(3);
        assertThat(answer.get("objects").asInt()).isEqualTo(6);
        Map<String, String> after = everything();
        assertThat(after).containsOnlyKeys(before.keySet());
        assertThat(after).isEqualTo(before);
        JsonNode status = operator.call("{\"action\":\"status\",\"runId\":\"" + runId + "\"}");
        assertThat(status.get("counts").get("cancelled").asInt()).isEqualTo(3);
        assertThat(operator.call(publish(runId, "")).get("counts").get("missing").asInt()).isEqualTo(3);
    }

    @Test
    void publishAndDiscard_ofADirectRun_orWithBadGates_areRefused_andWriteNothing() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        String direct = run(DIRECT);
        String staged = run(STAGED);
        Map<String, String> before = everything();

        operator.refused(publish(direct, ""), "Run " + direct + " publishes direct: only a staged run (backfill with "
                + "\"publish\":\"staged\") can be published");
        operator.refused("{\"action\":\"discard\",\"runId\":\"" + direct + "\"}", "Run " + direct
                + " publishes direct: only a staged run (backfill with \"publish\":\"staged\") can be discarded");
        operator.refused(publish(staged, ",\"gates\":{\"maxRowChange\":5}"), "Unknown field(s) [gates.maxRowChange] "
                + "for action 'publish'; allowed: [action, gates.maxMeasureChangePct, gates.maxRowChangePct, "
                + "gates.nonEmpty]");
        operator.refused(publish(staged, ",\"gates\":{\"maxRowChangePct\":-1}"), "Field 'gates.maxRowChangePct' "
                + "must be a percentage from 0 to 10000, or false for no limit, not -1");
        operator.refused(publish(staged, ",\"force\":\"yes\""), "Field 'force' must be true or false, not yes");
        operator.refused("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-09\","
                + "\"end\":\"2026-04-12\",\"publish\":\"later\"}", "Unknown publish 'later'; allowed: [direct, staged]");
        assertThat(everything()).containsOnlyKeys(before.keySet());
    }

    /** Starts a run and lets the worker process every window once; answers the run id. */
    @Test
    void diff_againstAStagedRun_showsWhatPublishWouldChange_andTheReportComparesWithTheStagedOutput() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
        run(DIRECT);
        overwriteInputs();
        String staged = run(STAGED);

        JsonNode diff = operator.call("{\"action\":\"diff\",\"table\":\"daily_event_counts\",\"start\":\"2026-04-09\","
                + "\"end\":\"2026-04-12\",\"before\":\"now\",\"after\":\"staged:" + staged + "\"}");

        assertThat(diff.path("after").path("stagedRun").asText()).isEqualTo(staged);
        assertThat(diff.path("days").get(0).path("afterRun").asText()).isEqualTo(staged);
        assertThat(diff.path("totals").path("events").path("delta").asLong()).isEqualTo(3);
        JsonNode report = operator.call("{\"action\":\"report\",\"runId\":\"" + staged + "\"}");
        assertThat(report.path("totals").path("events").path("delta").asLong()).isEqualTo(3);
        String html = new String(store.get("_backfill/runs/" + staged + "/report.html").orElseThrow().content(),
                StandardCharsets.UTF_8);
        assertThat(html).contains("staged:" + staged).contains("Audit gates publish checks");
        assertThat(report.path("afterSnapshot").asText()).isEqualTo("staged:" + staged);
        assertThat(report.path("gates").path("checks").asInt()).isPositive();
        assertThat(report.path("gates").path("passed").asInt()).isEqualTo(report.path("gates").path("checks").asInt());

        operator.call(publish(staged, ",\"force\":true"));
        JsonNode afterPublish = operator.call("{\"action\":\"diff\",\"table\":\"daily_event_counts\","
                + "\"start\":\"2026-04-09\",\"end\":\"2026-04-12\",\"before\":\"staged:" + staged + "\",\"after\":\"now\"}");
        assertThat(afterPublish.path("days").get(0).path("beforeRun").isNull()).isTrue();
        assertThat(afterPublish.path("days").get(0).path("afterRun").asText()).isEqualTo(staged);
    }

    private String run(String request) {
        String runId = operator.call(request).get("runId").asText();
        operator.work();
        clock.advance(Duration.ofSeconds(5));
        return runId;
    }

    private static String publish(String runId, String more) {
        return "{\"action\":\"publish\",\"runId\":\"" + runId + "\"" + more + "}";
    }

    /** One more purchase in every day's input, so a rerun computes different partitions (within the gates). */
    private void overwriteInputs() {
        for (LocalDate day = APR_09; day.isBefore(APR_12); day = day.plusDays(1)) {
            String lines = gunzip(DemoEventGenerator.standard().day(day));
            store.put(DemoEventGenerator.keyOf(day), gzip(lines + "{\"ts\":\"" + day + "T23:59:00Z\",\"user\":"
                    + "\"late\",\"type\":\"purchase\",\"amount_cents\":1234}\n"));
        }
    }

    private static String gunzip(byte[] gzip) {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The days the tests write, as the time-travel reader sees them now, each with its rows. */
    private NavigableMap<String, PartitionRows> read() {
        TableReader reader = new TableReader(store);
        NavigableMap<String, PartitionRows> rows = new TreeMap<>();
        reader.read(TABLE, List.of("2026-04-09", "2026-04-10", "2026-04-11"), clock.instant()).forEach(
                (label, snapshot) -> rows.put(label, new PartitionRows(label, snapshot.manifestVersionId(),
                        snapshot.manifest(), reader.lines(snapshot))));
        return rows;
    }

    private List<String> partKeys() {
        return visible().keySet().stream().filter(key -> key.contains("/part-")).toList();
    }

    /** What a Hive-style prefix reader sees: the table's objects whose names do not start with {@code _}. */
    private Map<String, String> visible() {
        Map<String, String> visible = new TreeMap<>();
        for (ObjectSummary object : store.list(PartitionPath.tablePrefix(TABLE))) {
            String name = object.key().substring(object.key().lastIndexOf('/') + 1);
            if (!name.startsWith("_")) {
                visible.put(object.key(), bytes(object.key()));
            }
        }
        return visible;
    }

    /** Every current object of the table, with its bytes. */
    private Map<String, String> everything() {
        Map<String, String> all = new TreeMap<>();
        store.list(PartitionPath.tablePrefix(TABLE))
                .forEach(object -> all.put(object.key(), bytes(object.key())));
        return all;
    }

    /** An object's bytes, comparable. */
    private String bytes(String key) {
        return java.util.HexFormat.of().formatHex(store.get(key).orElseThrow().content());
    }

    private static long events(String line) {
        return Long.parseLong(line.replaceFirst(".*\"events\":(\\d+).*", "$1"));
    }

    private static byte[] gzip(String lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(lines.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
