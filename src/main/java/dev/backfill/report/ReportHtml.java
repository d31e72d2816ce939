package dev.backfill.report;

import dev.backfill.partition.GateCheck;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's before/after report as one self-contained HTML page (inline CSS and SVG; no script, font, style sheet or
 * image from anywhere else): the run's facts, the totals per measure, a chart per measure (each day, before and
 * after) and the table of the rows that changed.
 */
public final class ReportHtml {

    private ReportHtml() {
    }

    public static String render(RunFacts run, Diff diff) {
        return render(run, diff, List.of());
    }

    /** @param gates the audit gates publish would check (a staged run), shown in a section of their own when any */
    public static String render(RunFacts run, Diff diff, List<GateCheck> gates) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>").append(Html.escape(run.job() + ": what run " + run.runId() + " changed"))
                .append("</title>\n<style>\n").append(ReportStyle.CSS).append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(Html.escape(run.table())).append(": what run <code>")
                .append(Html.escape(run.runId())).append("</code> changed</h1>\n");
        html.append("<p class=\"lede\">").append(diff.days().size()).append(" days, ")
                .append(Html.escape(run.start())).append(" .. ").append(Html.escape(lastDay(diff)))
                .append(", as they were just before the run (").append(when(diff.before().asOf()))
                .append(diff.after().stagedRun() != null ? ") and as the run's staged output has them, not yet published ("
                        : ") and as they are now (").append(when(diff.after().asOf())).append(").</p>\n");
        facts(html, run, diff);
        Optional<String> key = chartedKey(diff);
        html.append("<div class=\"totals\">\n");
        key.ifPresent(k -> diff.measures().forEach(measure -> card(html, measure + " of " + k + ", all days",
                keyTotal(diff, k, measure))));
        diff.totals().forEach((measure, change) -> card(html, measure + ", all days and keys", change));
        html.append("</div>\n");
        html.append("<h2>Per day").append(key.map(k -> ": " + Html.escape(k) + ", the key that changed most")
                .orElse("")).append("</h2>\n");
        for (String measure : diff.measures()) {
            chart(html, diff, key, measure);
        }
        gates(html, gates);
        changes(html, diff);
        html.append("<p class=\"foot\">Made by backfill at ").append(when(run.generatedAt()))
                .append(" from the table's manifest versions (S3 bucket versioning). The same numbers: ")
                .append("<code>report.csv</code> beside this file.</p>\n</body>\n</html>\n");
        return html.toString();
    }

    private static void facts(StringBuilder html, RunFacts run, Diff diff) {
        html.append("<dl class=\"facts\">\n");
        fact(html, "job", run.job());
        fact(html, "days", run.start() + " .. " + lastDay(diff) + " (end " + run.end() + " exclusive)");
        fact(html, "windows", run.windows() + " planned; " + diff.appeared().size() + " appeared, "
                + diff.vanished().size() + " vanished");
        fact(html, "code version", versions(run.codeBefore()) + " → " + versions(run.codeAfter()));
        fact(html, "run created", when(run.createdAt()));
        fact(html, "before", "as of " + when(diff.before().asOf()));
        fact(html, "after", diff.after().snapshot() + ", " + when(diff.after().asOf()));
        html.append("</dl>\n");
    }

    private static void fact(StringBuilder html, String name, String value) {
        html.append("<dt>").append(Html.escape(name)).append("</dt><dd>").append(Html.escape(value))
                .append("</dd>\n");
    }

    private static void card(StringBuilder html, String name, Diff.Change change) {
        html.append("<div class=\"total\"><div class=\"name\">").append(Html.escape(name))
                .append("</div><div class=\"value\">").append(Html.number(change.before())).append(" → ")
                .append(Html.number(change.after())).append("</div><div class=\"").append(tone(change.delta()))
                .append("\">").append(Html.signed(change.delta())).append(" (").append(Html.percent(change.percent()))
                .append(")</div></div>\n");
    }

    private static Diff.Change keyTotal(Diff diff, String key, String measure) {
        Diff.Change total = Diff.Change.of(null, null);
        for (Diff.Day day : diff.days()) {
            for (Diff.Row row : day.rows()) {
                if (row.label().equals(key)) {
                    total = total.plus(row.measures().get(measure));
                }
            }
        }
        return total;
    }

    /** A chart of one measure per day, for the charted key (the day totals when no row changed). */
    private static void chart(StringBuilder html, Diff diff, Optional<String> key, String measure) {
        List<String> days = diff.days().stream().map(Diff.Day::label).toList();
        List<BigDecimal> before = diff.days().stream().map(day -> value(day, key, measure, true)).toList();
        List<BigDecimal> after = diff.days().stream().map(day -> value(day, key, measure, false)).toList();
        String what = key.map(k -> measure + " of " + k).orElse(measure + ", all keys");
        html.append("<figure>\n").append(ReportChart.svg(what + " per day", what, days, before, after,
                "before (" + shortWhen(diff.before().asOf()) + ")", "after (" + shortWhen(diff.after().asOf())
                        + ")")).append("</figure>\n");
    }

    /**
     * The key the charts show: of the rows present before and after, the one whose measures changed most relative
     * to their size (a key that only appeared or vanished changes by 100 % and would always win); empty when no
     * such row changed, and the charts show the day totals.
     */
    static Optional<String> chartedKey(Diff diff) {
        Map<String, Double> score = new java.util.TreeMap<>();
        for (Diff.Day day : diff.days()) {
            for (Diff.Row row : day.rows()) {
                if (!row.status().equals("changed")) {
                    continue;
                }
                for (Diff.Change change : row.measures().values()) {
                    double base = Math.max(1, Math.abs(Diff.decimal(change.before()).doubleValue()));
                    score.merge(row.label(), Math.abs(Diff.decimal(change.delta()).doubleValue()) / base,
                            Double::sum);
                }
            }
        }
        return score.entrySet().stream().filter(e -> e.getValue() > 0)
                .max(Map.Entry.<String, Double>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey);
    }

    private static BigDecimal value(Diff.Day day, Optional<String> key, String measure, boolean before) {
        Diff.Change change = key.isEmpty() ? day.totals().get(measure) : day.rows().stream()
                .filter(row -> row.label().equals(key.get())).findFirst()
                .map(row -> row.measures().get(measure)).orElse(null);
        BigDecimal value = change == null ? null : Diff.decimal(before ? change.before() : change.after());
        return value == null ? BigDecimal.ZERO : value;
    }

    private static void gates(StringBuilder html, List<GateCheck> gates) {
        if (gates.isEmpty()) {
            return;
        }
        List<GateCheck> failed = gates.stream().filter(check -> !check.passed()).toList();
        html.append("<h2>Audit gates publish checks</h2>\n<p>").append(gates.size() - failed.size()).append(" of ")
                .append(gates.size()).append(" checks pass")
                .append(failed.isEmpty() ? ".</p>\n" : "; these fail, and refuse publish unless forced or relaxed:</p>\n");
        if (!failed.isEmpty()) {
            html.append("<ul class=\"gates\">\n");
            failed.forEach(check -> html.append("<li>").append(Html.escape(check.describe())).append("</li>\n"));
            html.append("</ul>\n");
        }
    }

    private static void changes(StringBuilder html, Diff diff) {
        html.append("<h2>Rows that changed</h2>\n");
        List<Map.Entry<Diff.Day, Diff.Row>> changed = diff.days().stream().flatMap(day -> day.rows().stream()
                .filter(row -> !row.status().equals("same")).map(row -> Map.entry(day, row))).toList();
        if (changed.isEmpty()) {
            html.append("<p>No row changed.</p>\n");
            return;
        }
        html.append("<table>\n<thead><tr><th>day</th><th>key</th>");
        for (String measure : diff.measures()) {
            html.append("<th colspan=\"4\">").append(Html.escape(measure)).append("</th>");
        }
        html.append("</tr>\n<tr class=\"sub\"><th></th><th></th>");
        diff.measures().forEach(m -> html.append("<th>before</th><th>after</th><th>Δ</th><th>%</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (Map.Entry<Diff.Day, Diff.Row> entry : changed) {
            html.append("<tr><td>").append(entry.getKey().label()).append("</td><td>")
                    .append(Html.escape(entry.getValue().label())).append("</td>");
            for (String measure : diff.measures()) {
                cells(html, entry.getValue().measures().get(measure));
            }
            html.append("</tr>\n");
        }
        html.append("<tr class=\"sum\"><td>total</td><td>all keys</td>");
        diff.measures().forEach(measure -> cells(html, diff.totals().get(measure)));
        html.append("</tr>\n</tbody>\n</table>\n");
    }

    private static void cells(StringBuilder html, Diff.Change change) {
        html.append("<td>").append(Html.number(change.before())).append("</td><td>")
                .append(Html.number(change.after())).append("</td><td class=\"").append(tone(change.delta()))
                .append("\">").append(Html.signed(change.delta())).append("</td><td class=\"")
                .append(tone(change.delta())).append("\">").append(Html.percent(change.percent())).append("</td>");
    }

    private static String tone(Number number) {
        BigDecimal delta = Diff.decimal(number);
        return delta == null || delta.signum() == 0 ? "same" : delta.signum() > 0 ? "up" : "down";
    }

    private static String lastDay(Diff diff) {
        return diff.days().get(diff.days().size() - 1).label();
    }

    private static String versions(List<String> versions) {
        return versions.isEmpty() ? "(none)" : String.join(", ", versions);
    }

    private static String when(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String shortWhen(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
    }
}
