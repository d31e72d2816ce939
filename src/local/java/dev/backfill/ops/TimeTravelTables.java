package dev.backfill.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The answers of {@code read}, {@code diff} and {@code report} as a person reads them. */
final class TimeTravelTables {

    private TimeTravelTables() {
    }

    static String read(JsonNode read) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s as of %s: %d days (%s .. %s), %d partitions, %d rows%s%n", text(read, "table"),
                text(read, "asOf"), read.path("days").asInt(), text(read, "first"), text(read, "last"),
                read.path("partitions").size(), read.path("rows").asLong(),
                read.path("absent").isEmpty() ? "" : "; no partition then: " + join(read.path("absent"))));
        List<List<String>> partitions = new ArrayList<>();
        read.path("partitions").forEach(p -> partitions.add(List.of(text(p, "day"), text(p, "runId"),
                text(p, "codeVersion"), text(p, "committedAt"), text(p, "manifestVersionId"),
                String.valueOf(p.path("rows").asLong()))));
        out.append(AnswerTables.table(List.of("day", "run", "code", "committed", "manifest version", "rows"),
                partitions));
        if (read.path("records").isArray()) {
            out.append(System.lineSeparator());
            List<List<String>> rows = new ArrayList<>();
            read.path("records").forEach(record -> rows.add(List.of(record.toString())));
            out.append(AnswerTables.table(List.of("rows"), rows));
        } else {
            out.append(String.format("%nover the row limit (%d): the part objects to fetch instead%n",
                    read.path("rowLimit").asInt()));
            List<List<String>> objects = new ArrayList<>();
            read.path("objects").forEach(o -> objects.add(List.of(text(o, "day"), text(o, "key"),
                    text(o, "versionId"), String.valueOf(o.path("rows").asLong()))));
            out.append(AnswerTables.table(List.of("day", "key", "version", "rows"), objects));
        }
        return out.toString();
    }

    static String diff(JsonNode diff) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s %s .. %s (end exclusive): before %s (%s) → after %s (%s)%n",
                text(diff, "table"), text(diff, "start"), text(diff, "end"), text(diff.path("before"), "snapshot"),
                text(diff.path("before"), "asOf"), text(diff.path("after"), "snapshot"),
                text(diff.path("after"), "asOf")));
        if (!diff.path("appeared").isEmpty() || !diff.path("vanished").isEmpty()) {
            out.append(String.format("appeared: %s · vanished: %s%n", join(diff.path("appeared")),
                    join(diff.path("vanished"))));
        }
        List<String> header = new ArrayList<>(List.of("day", "key"));
        diff.path("measures").forEach(m -> header.addAll(List.of(m.asText() + " before", "after", "Δ", "%")));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode day : diff.path("days")) {
            for (JsonNode row : day.path("rows")) {
                if (!row.path("status").asText().equals("same")) {
                    List<String> cells = new ArrayList<>(List.of(text(day, "label"), key(row.path("key"))));
                    diff.path("measures").forEach(m -> cells.addAll(change(row.path("measures").path(m.asText()))));
                    rows.add(cells);
                }
            }
        }
        List<String> total = new ArrayList<>(List.of("total", "all keys"));
        diff.path("measures").forEach(m -> total.addAll(change(diff.path("totals").path(m.asText()))));
        rows.add(total);
        return out.append(AnswerTables.table(header, rows)).toString();
    }

    static String report(JsonNode report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("report of run %s · %s · %s .. %s (end exclusive), %d days%n", text(report, "runId"),
                text(report, "job"), text(report, "start"), text(report, "end"), report.path("days").asInt()));
        out.append(String.format("before %s → after %s%n", text(report, "before"), text(report, "after")));
        List<List<String>> totals = new ArrayList<>();
        report.path("byKey").fields().forEachRemaining(key -> key.getValue().fields().forEachRemaining(e -> {
            List<String> cells = new ArrayList<>(List.of(key.getKey(), e.getKey()));
            cells.addAll(change(e.getValue()));
            totals.add(cells);
        }));
        report.path("totals").fields().forEachRemaining(e -> {
            List<String> cells = new ArrayList<>(List.of("all keys", e.getKey()));
            cells.addAll(change(e.getValue()));
            totals.add(cells);
        });
        out.append(AnswerTables.table(List.of("key", "measure", "before", "after", "Δ", "%"), totals));
        JsonNode gates = report.path("gates");
        if (gates.isObject()) {
            out.append(String.format("audit gates publish checks: %d of %d pass%n", gates.path("passed").asInt(),
                    gates.path("checks").asInt()));
            gates.path("failed").forEach(failed -> out.append("  fails: ").append(failed.asText())
                    .append(System.lineSeparator()));
        }
        out.append(String.format("written: %s, %s%n", text(report.path("html"), "key"),
                text(report.path("csv"), "key")));
        return out.toString();
    }

    private static List<String> change(JsonNode change) {
        return List.of(text(change, "before"), text(change, "after"), text(change, "delta"),
                change.path("percent").isNull() ? "–" : change.path("percent").asText() + "%");
    }

    private static String key(JsonNode key) {
        List<String> parts = new ArrayList<>();
        key.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
        return parts.isEmpty() ? "(all)" : String.join(",", parts);
    }

    private static String join(JsonNode labels) {
        List<String> all = new ArrayList<>();
        labels.forEach(label -> all.add(label.asText()));
        return all.isEmpty() ? "–" : String.join(", ", all);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "–" : value.asText();
    }
}
