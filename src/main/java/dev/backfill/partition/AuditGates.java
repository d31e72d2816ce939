package dev.backfill.partition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import dev.backfill.job.Gates;
import dev.backfill.partition.PartitionRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a staged partition against the current one with a job's {@link Gates}: non-empty, row count within ±X %,
 * each measure's total (summed over every row, so over the keys) within ±Y %. Pure: it reads nothing itself, so the
 * same checks serve {@code publish} and any report comparing two snapshots of a partition.
 */
public final class AuditGates {

    public static final String NON_EMPTY = "nonEmpty";
    public static final String ROW_CHANGE = "maxRowChangePct";
    public static final String MEASURE_CHANGE = "maxMeasureChangePct";

    private AuditGates() {
    }

    /**
     * Every check of {@code gates} for one window, passed or not.
     *
     * @param measures the job's measure columns ({@code OutputSchema.measures()} names)
     * @param before   the current partition, or empty where the partition has none (the change gates do not apply)
     * @param after    the staged partition
     */
    public static List<GateCheck> check(String label, Gates gates, List<String> measures,
                                        Optional<PartitionRows> before, PartitionRows after) {
        List<GateCheck> checks = new ArrayList<>();
        long rowsAfter = after.manifest().rows();
        if (gates.nonEmpty()) {
            checks.add(new GateCheck(label, NON_EMPTY, null, before.map(b -> (double) b.manifest().rows())
                    .orElse(null), rowsAfter, null, null, rowsAfter > 0));
        }
        if (before.isEmpty()) {
            return checks;
        }
        gates.maxRowChangePct().ifPresent(limit -> checks.add(
                change(label, ROW_CHANGE, null, before.get().manifest().rows(), rowsAfter, limit)));
        gates.maxMeasureChangePct().ifPresent(limit -> {
            Map<String, Double> totalsBefore = totals(measures, before.get().lines());
            Map<String, Double> totalsAfter = totals(measures, after.lines());
            measures.forEach(measure -> checks.add(change(label, MEASURE_CHANGE, measure, totalsBefore.get(measure),
                    totalsAfter.get(measure), limit)));
        });
        return checks;
    }

    /** Each measure summed over the lines; a line without it, or with a non-number, adds 0. */
    public static Map<String, Double> totals(List<String> measures, List<String> lines) {
        Map<String, Double> totals = new LinkedHashMap<>();
        measures.forEach(measure -> totals.put(measure, 0.0));
        for (String line : lines) {
            JsonNode row;
            try {
                row = Json.mapper().readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException("A partition line is not JSON", e);
            }
            for (String measure : measures) {
                JsonNode value = row.get(measure);
                if (value != null && value.isNumber()) {
                    totals.merge(measure, value.asDouble(), Double::sum);
                }
            }
        }
        return totals;
    }

    private static GateCheck change(String label, String gate, String measure, double before, double after,
                                    double limit) {
        double pct = before == 0 ? (after == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, after))
                : (after - before) / Math.abs(before) * 100;
        return new GateCheck(label, gate, measure, before, after, pct, limit, Math.abs(pct) <= limit);
    }
}
