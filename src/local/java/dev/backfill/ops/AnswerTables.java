package dev.backfill.ops;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The dispatcher's answers as a person reads them: a few lines of facts, then aligned tables. */
public final class AnswerTables {

    /** Rows of long tables shown: the first ones and the last ones, with a count of those left out. */
    private static final int HEAD = 15;
    private static final int TAIL = 5;

    private AnswerTables() {
    }

    /** The answer of {@code action} as lines of text. */
    public static String render(String action, JsonNode answer) {
        return switch (action) {
            case "plan" -> plan(answer);
            case "backfill" -> backfill(answer);
            case "status" -> status(answer);
            case "runs" -> runs(answer);
            case "audit" -> audit(answer);
            case "read" -> TimeTravelTables.read(answer);
            case "diff" -> TimeTravelTables.diff(answer);
            case "report" -> TimeTravelTables.report(answer);
            case "publish" -> publish(answer);
            default -> facts(answer);
        };
    }

    private static String publish(JsonNode publish) {
        StringBuilder out = new StringBuilder(String.format("publish %s (%s)%s: %s%n", text(publish, "runId"),
                text(publish, "job"), publish.path("forced").asBoolean() ? ", forced" : "",
                publish.path("counts").toString()));
        publish.path("failedGates").forEach(check -> out.append("GATE FAILED (forced): ")
                .append(text(check, "label")).append(' ').append(text(check, "gate")).append(' ')
                .append(check.path("measure").isNull() ? "rows" : text(check, "measure")).append(' ')
                .append(text(check, "before")).append(" -> ").append(text(check, "after"))
                .append(System.lineSeparator()));
        List<List<String>> rows = new ArrayList<>();
        publish.path("windows").forEach(window -> rows.add(List.of(text(window, "label"), text(window, "result"),
                text(window, "rows"), text(window, "reason"))));
        return out.append(table(List.of("window", "result", "rows", "reason"), rows)).toString();
    }

    private static String plan(JsonNode plan) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("plan %s %s .. %s (end exclusive) · reprocess %s · order %s%n", text(plan, "job"),
                text(plan, "start"), text(plan, "end"), text(plan, "reprocess"), text(plan, "order")));
        out.append(String.format("windows: %d in range, %d to run%s%n", plan.path("inRange").asInt(),
                plan.path("toRun").asInt(), skipped(plan.path("skipped"))));
        out.append(String.format("upstream: %d input objects, %s, %d windows with no input%n",
                plan.path("inputObjects").asLong(), bytes(plan.path("inputBytes").asLong()),
                plan.path("missing").asInt()));
        JsonNode estimate = plan.path("estimate");
        out.append(String.format("estimate: %d upstream requests, %d S3 requests, window %s, makespan %s at "
                        + "concurrency %d, %s GB-s of Lambda in %d invocations (%s)%n",
                estimate.path("upstreamRequests").asLong(), estimate.path("s3Requests").asLong(),
                duration(text(estimate, "windowDuration")), duration(text(estimate, "makespan")),
                estimate.path("concurrency").asInt(),
                estimate.path("lambdaGbSeconds").isNumber() ? estimate.path("lambdaGbSeconds").asText() : "?",
                estimate.path("lambdaRequests").asLong(), text(estimate, "basis")));
        plan.path("warnings").forEach(warning -> out.append("WARNING: ").append(warning.asText())
                .append(System.lineSeparator()));
        List<List<String>> rows = new ArrayList<>();
        plan.path("windows").forEach(window -> rows.add(List.of(text(window, "label"),
                window.path("declared").asBoolean() ? String.valueOf(window.path("objects").asInt()) : "?",
                bytes(window.path("bytes").asLong()), window.path("missing").asBoolean() ? "MISSING" : "ok")));
        return out.append(table(List.of("window", "objects", "bytes", "input"), rows)).toString();
    }

    private static String backfill(JsonNode run) {
        if (run.path("runId").isNull()) {
            return String.format("nothing to run: %d windows in range%s%n", run.path("inRange").asInt(),
                    skipped(run.path("skipped")));
        }
        return String.format("run %s%s: %d windows enqueued of %d (%s .. %s), fence %d%s%n",
                text(run, "runId"), run.path("replayed").asBoolean() ? " (repeated request: the first run's answer)"
                        : "", run.path("enqueued").asInt(), run.path("windows").asInt(), text(run, "first"),
                text(run, "last"), run.path("fence").asLong(), skipped(run.path("skipped")));
    }

    private static String status(JsonNode status) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("run %s · job %s · %s · %s%n", text(status, "runId"), text(status, "job"),
                text(status, "trigger"), status.path("state").asText().toUpperCase()));
        out.append(Watch.line(status).trim()).append(System.lineSeparator());
        out.append(String.format("created %s · started %s · updated %s%s%n", text(status, "createdAt"),
                text(status, "startedAt"), text(status, "updatedAt"),
                status.path("cancelRequested").asBoolean() ? " · cancel requested" : ""));
        List<List<String>> counts = new ArrayList<>();
        status.path("counts").fields().forEachRemaining(e -> counts.add(List.of(e.getKey(), e.getValue().asText())));
        out.append(table(List.of("state", "windows"), counts));
        if (!status.path("failures").isEmpty()) {
            List<List<String>> failures = new ArrayList<>();
            status.path("failures").forEach(f -> failures.add(List.of(text(f, "label"),
                    String.valueOf(f.path("attempts").asInt()), text(f, "error"))));
            out.append(table(List.of("failed window", "attempts", "last error"), failures));
        }
        return out.toString();
    }

    private static String runs(JsonNode answer) {
        List<List<String>> rows = new ArrayList<>();
        answer.path("runs").forEach(run -> rows.add(List.of(text(run, "runId"), text(run, "job"),
                text(run, "trigger"), text(run, "state"), String.valueOf(run.path("windows").asInt()),
                run.path("percentDone").asText() + "%", text(run, "first") + " .. " + text(run, "last"),
                text(run, "createdAt"))));
        return table(List.of("run", "job", "trigger", "state", "windows", "done", "days", "created"), rows);
    }

    private static String audit(JsonNode answer) {
        StringBuilder out = new StringBuilder(String.format("job %s · day %s · backfillability %d/4%n",
                text(answer, "job"), text(answer, "day"), answer.path("score").asInt()));
        answer.path("questions").forEach(question -> {
            out.append(String.format("%n%s %d. %s%n", question.path("passed").asBoolean() ? "PASS" : "FAIL",
                    question.path("question").asInt(), text(question, "name")));
            out.append("     ").append(text(question, "evidence")).append(System.lineSeparator());
            if (question.hasNonNull("fix")) {
                out.append("     fix: ").append(text(question, "fix")).append(System.lineSeparator());
            }
        });
        return out.append(String.format("%nscratch %s: %d objects written and removed; the live table untouched%n",
                text(answer, "scratch"), answer.path("removed").asInt())).toString();
    }

    /** Any other answer: one {@code field: value} line per field. */
    private static String facts(JsonNode answer) {
        StringBuilder out = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            out.append(String.format("%-12s %s%n", field.getKey() + ":", field.getValue().isTextual()
                    ? field.getValue().asText() : field.getValue().toString()));
        }
        return out.toString();
    }

    static String table(List<String> header, List<List<String>> rows) {
        List<List<String>> shown = new ArrayList<>(rows);
        if (rows.size() > HEAD + TAIL + 1) {
            shown = new ArrayList<>(rows.subList(0, HEAD));
            shown.add(List.of("… " + (rows.size() - HEAD - TAIL) + " more"));
            shown.addAll(rows.subList(rows.size() - TAIL, rows.size()));
        }
        int[] widths = new int[header.size()];
        for (List<String> row : concat(header, shown)) {
            for (int i = 0; i < row.size() && i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : concat(header, shown)) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(String.format("%-" + widths[i] + "s", row.get(i))).append(i < row.size() - 1 ? "  " : "");
            }
            out.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return out.toString();
    }

    private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        return all;
    }

    private static String skipped(JsonNode skipped) {
        if (skipped == null || skipped.isEmpty()) {
            return "";
        }
        List<String> reasons = new ArrayList<>();
        skipped.fields().forEachRemaining(e -> reasons.add(e.getValue().asInt() + " " + e.getKey()));
        return ", skipped: " + String.join(", ", reasons);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "–" : value.asText();
    }

    private static String bytes(long bytes) {
        return bytes < 1024 ? bytes + " B" : bytes < 1 << 20 ? String.format("%.1f KiB", bytes / 1024.0)
                : String.format("%.1f MiB", bytes / 1048576.0);
    }

    /**
     * An ISO-8601 duration as a person reads it: {@code PT7.492S} → {@code 7.5 s}, {@code PT5M44.632S} →
     * {@code 5 min 45 s}, {@code PT26H3M} → {@code 26 h 03 min}; anything else (such as "unknown") as it is.
     */
    static String duration(String iso) {
        Duration duration;
        try {
            duration = Duration.parse(iso);
        } catch (DateTimeParseException e) {
            return iso;
        }
        long millis = duration.toMillis();
        if (millis < 59_950) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = Math.round(millis / 1000.0);
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        long minutes = Math.round(seconds / 60.0);
        return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
    }
}
