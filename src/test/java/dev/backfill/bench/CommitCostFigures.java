package dev.backfill.bench;

import dev.backfill.bench.CommitCostBench.Case;
import dev.backfill.bench.Figure.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** P3's table lines: the requests of each case beside the plan's estimate, then the times as information. */
final class CommitCostFigures {

    private static final int INPUT_REQUESTS = 2;

    private CommitCostFigures() {
    }

    static Section section(List<Case> cases, int estimate) {
        int expected = estimate + INPUT_REQUESTS;
        Case first = cases.get(0);
        List<Figure> figures = new ArrayList<>();
        for (Case c : cases) {
            boolean isFirst = c == first;
            int base = isFirst ? expected : first.total();
            figures.add(new Figure("P3 S3 requests per commit, " + c.name(),
                    String.format("= %d + %d for the input, every time", estimate, INPUT_REQUESTS),
                    c.total() + " (" + operations(c.requests().get(0)) + ")" + (c.constant() ? "" : ", varies"),
                    isFirst ? String.format("%d (plan's estimate %d + input %d)", expected, estimate, INPUT_REQUESTS)
                            : base + " (1 earlier commit)",
                    String.format("%.2f", c.total() / (double) base),
                    Verdict.of(c.total() == expected && c.constant()),
                    Map.of("requests", c.total(), "byOperation", c.requests().get(0), "constant", c.constant(),
                            "commitMillis", c.commitMillis(), "partitionListMillis", c.listMillis())));
        }
        Case deepest = cases.get(2);
        figures.add(new Figure("P3 time per commit (1 / 100 / 1,000 earlier; 1,000 partitions)", null,
                millis(cases, Case::commitMillis), String.format("%.0f ms (1 earlier commit)", first.commitMillis()),
                String.format("%.2f at 1,000 earlier", deepest.commitMillis() / first.commitMillis()), Verdict.INFO,
                Map.of()));
        figures.add(new Figure("P3 its partition LIST (same cases)", null, millis(cases, Case::listMillis),
                String.format("%.1f ms (1 earlier commit)", first.listMillis()),
                String.format("%.2f at 1,000 earlier", deepest.listMillis() / first.listMillis()), Verdict.INFO,
                Map.of()));
        return new Section("P3", "commit cost", "one window of daily_event_counts committed by a WindowWorker on "
                + "S3Proxy (versioned bucket) through an S3 client whose ExecutionInterceptor counts every HTTP "
                + "request; 5 commits per case, times are medians; earlier commits' leftovers (a manifest version "
                + "and a deleted part with its delete marker each) and the other partitions of a table (a manifest "
                + "and a part each) are written directly, the last earlier commit and the measured ones are real",
                figures);
    }

    private static String operations(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .map(e -> switch (e.getKey()) {
                    case "GetObject" -> "GET";
                    case "PutObject" -> "PUT";
                    case "ListObjectsV2" -> "LIST";
                    case "DeleteObjects" -> "DELETE";
                    default -> e.getKey();
                } + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String millis(List<Case> cases, java.util.function.ToDoubleFunction<Case> value) {
        return cases.stream().map(c -> String.format("%.0f", value.applyAsDouble(c)))
                .collect(Collectors.joining(" / ")) + " ms";
    }
}
