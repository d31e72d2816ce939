package dev.backfill.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where a run stands, derived from its plan and the listing of its window steps.
 *
 * @param state       {@code queued} (nothing started), {@code running}, {@code succeeded} (every window committed or
 *                    superseded by a newer run), {@code failed} (nothing committed), {@code partial} (some windows
 *                    committed, others failed, cancelled or never sent), {@code cancelled}
 * @param counts      windows by state, every state listed
 * @param percentDone windows committed or superseded, of all windows
 * @param failures    failed windows, oldest first, at most {@value RunProgress#MAX_FAILURES} with their errors
 * @param startedAt   the first step any worker recorded, if any
 * @param updatedAt   the latest step any worker recorded, if any
 * @param eta         when the pending windows should be done, from the pace so far; null when unknown or done
 */
public record RunStatus(
        String runId,
        String job,
        String trigger,
        String state,
        int windows,
        Map<String, Integer> counts,
        double percentDone,
        List<Failure> failures,
        Instant createdAt,
        Instant startedAt,
        Instant updatedAt,
        long elapsedSeconds,
        Instant eta,
        boolean cancelRequested,
        String first,
        String last,
        long fence) {

    /** A failed window: its last error and how many deliveries it took. */
    public record Failure(String label, int attempts, String error, Instant at) {
    }
}
