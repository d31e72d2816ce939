package dev.backfill.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.job.Gates;
import dev.backfill.partition.PartitionRows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The audit gates as a pure function of two partition snapshots. */
class AuditGatesTest {

    private static final List<String> MEASURES = List.of("events", "amount_cents");

    @Test
    void check_withinEveryLimit_passesEachCheck() {
        List<GateCheck> checks = AuditGates.check("2026-04-09", Gates.STANDARD, MEASURES,
                Optional.of(snapshot("{\"type\":\"a\",\"events\":10,\"amount_cents\":100}",
                        "{\"type\":\"b\",\"events\":10,\"amount_cents\":100}")),
                snapshot("{\"type\":\"a\",\"events\":11,\"amount_cents\":90}",
                        "{\"type\":\"b\",\"events\":12,\"amount_cents\":120}"));

        assertThat(checks).extracting(GateCheck::gate, GateCheck::measure, GateCheck::before, GateCheck::after,
                GateCheck::changePct, GateCheck::passed).containsExactly(
                org.assertj.core.groups.Tuple.tuple("nonEmpty", null, 2.0, 2.0, null, true),
                org.assertj.core.groups.Tuple.tuple("maxRowChangePct", null, 2.0, 2.0, 0.0, true),
                org.assertj.core.groups.Tuple.tuple("maxMeasureChangePct", "events", 20.0, 23.0, 15.0, true),
                org.assertj.core.groups.Tuple.tuple("maxMeasureChangePct", "amount_cents", 200.0, 210.0, 5.0, true));
    }

    @Test
    void check_emptyPartition_aMeasureLeavingZero_andTooManyRows_fail() {
        assertThat(AuditGates.check("2026-04-09", Gates.STANDARD, MEASURES, Optional.empty(), snapshot()))
                .singleElement().satisfies(check -> {
                    assertThat(check.gate()).isEqualTo("nonEmpty");
                    assertThat(check.passed()).isFalse();
                    assertThat(check.describe()).isEqualTo("2026-04-09 nonEmpty: 0 rows");
                });
        List<GateCheck> checks = AuditGates.check("2026-04-10", Gates.STANDARD, MEASURES,
                Optional.of(snapshot("{\"events\":4,\"amount_cents\":0}")),
                snapshot("{\"events\":4,\"amount_cents\":5}", "{\"events\":0,\"amount_cents\":0}"));

        assertThat(checks).filteredOn(check -> !check.passed()).extracting(GateCheck::describe).containsExactly(
                "2026-04-10 maxRowChangePct: rows 1 -> 2 (+100.0 %, limit ±25.0 %)",
                "2026-04-10 maxMeasureChangePct: amount_cents 0 -> 5 (+∞ %, limit ±25.0 %)");
    }

    @Test
    void check_gatesSwitchedOff_checkNothing() {
        assertThat(AuditGates.check("2026-04-09", Gates.NONE, MEASURES, Optional.of(snapshot("{\"events\":1}")),
                snapshot())).isEmpty();
    }

    private static PartitionRows snapshot(String... lines) {
        Manifest manifest = new Manifest(Manifest.VERSION, "t", "t", new Manifest.WindowRef("2026-04-09",
                Instant.parse("2026-04-09T00:00:00Z"), Instant.parse("2026-04-10T00:00:00Z")), "run", 1, "f1-a1-x",
                "1", lines.length, List.of(), List.of(), Instant.EPOCH, Instant.EPOCH);
        return new PartitionRows("2026-04-09", "v1", manifest, List.of(lines));
    }
}
