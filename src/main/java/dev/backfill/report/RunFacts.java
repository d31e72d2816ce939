package dev.backfill.report;

import java.time.Instant;
import java.util.List;

/**
 * What a run report states about its run besides the numbers.
 *
 * @param codeBefore the code versions that wrote the run's days before it (distinct, sorted)
 * @param codeAfter  the code versions that wrote them after
 * @param windows    the windows the run planned
 */
public record RunFacts(String runId, String job, String table, String start, String end, int windows,
                       Instant createdAt, List<String> codeBefore, List<String> codeAfter, Instant generatedAt) {

    public RunFacts {
        codeBefore = List.copyOf(codeBefore);
        codeAfter = List.copyOf(codeAfter);
    }
}
