package dev.backfill.chaos;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the chaos table: what was broken, how often, what came out, and the four numbers that must be 0 —
 * windows lost, rows duplicated, reads that saw a mixed or empty partition, orphans left — with what else was
 * checked.
 *
 * @param checks what else the scenario asserted and whether it held ("DLQ = poison: yes")
 * @param values the raw numbers, for {@code report.json}
 */
record ChaosFigure(String scenario, String faults, String outcome, long lost, long duplicated, long mixedReads,
                   long orphans, boolean checksHold, Map<String, Object> values) {

    ChaosFigure {
        Objects.requireNonNull(scenario, "scenario");
        values = values == null ? Map.of() : new LinkedHashMap<>(values);
    }

    /** Whether the scenario held: nothing lost, duplicated, mixed or orphaned, and its own checks true. */
    boolean held() {
        return lost == 0 && duplicated == 0 && mixedReads == 0 && orphans == 0 && checksHold;
    }

    /** A scenario that could not run to its end: the failure stands where the figures would. */
    static ChaosFigure failed(String scenario, Throwable e) {
        return new ChaosFigure(scenario, "—", "failed: " + e, -1, -1, -1, -1, false,
                Map.of("error", String.valueOf(e)));
    }
}
