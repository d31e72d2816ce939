package dev.backfill.infra;

import static dev.backfill.infra.Template.asSub;
import static dev.backfill.infra.Template.environment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The dashboard shows what an operator of a backfill looks at: windows committed and failed per hour, window duration
 * p50 and p99, the work queue's depth and oldest message, the dead letters, the worker's errors and throttles, and its
 * concurrency against {@code MaxConcurrency}; its own metrics come from the namespace the functions write to.
 */
final class DashboardInvariants {

    /** A {@code ${...}} standing where the JSON has a number: {@code "value": ${MaxConcurrency}}. */
    private static final Pattern BARE_PLACEHOLDER = Pattern.compile("(:\\s*)(\\$\\{[^}]+})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardInvariants() {
    }

    /** One line of a metric widget: namespace, name, dimension names and values; and its effective stat and period. */
    record Row(List<String> metric, String stat, String period, JsonNode widget) {

        boolean is(String namespace, String name, String... dimensions) {
            List<String> expected = new ArrayList<>(List.of(namespace, name));
            expected.addAll(List.of(dimensions));
            return metric.equals(expected);
        }
    }

    static List<String> dashboard(Template t) {
        List<String> dashboards = t.ofType("AWS::CloudWatch::Dashboard");
        if (dashboards.size() != 1) {
            return List.of("expected one AWS::CloudWatch::Dashboard, found " + dashboards);
        }
        String id = dashboards.get(0);
        Optional<List<Row>> parsed = rows(asSub(t.properties(id).get("DashboardBody")));
        if (parsed.isEmpty()) {
            return List.of(id + " DashboardBody is not JSON once its ${...} are filled in");
        }
        List<Row> rows = parsed.get();
        String namespace = metricsNamespace(t).orElse("(the functions' BACKFILL_METRICS_NAMESPACE)");
        String queue = "${" + QueueInvariants.workQueue(t).orElse("?") + ".QueueName}";
        String dlq = "${" + QueueInvariants.deadLetterQueue(t).orElse("?") + ".QueueName}";
        String worker = "${" + t.functionWithHandler("worker").orElse("?") + "}";
        List<String> wrong = new ArrayList<>();
        expect(wrong, id, rows, "WindowsCommitted per hour (Sum, period 3600) in " + namespace,
                r -> r.is(namespace, "WindowsCommitted") && "Sum".equals(r.stat()) && "3600".equals(r.period()));
        expect(wrong, id, rows, "WindowsFailed per hour (Sum, period 3600) in " + namespace,
                r -> r.is(namespace, "WindowsFailed") && "Sum".equals(r.stat()) && "3600".equals(r.period()));
        for (String percentile : List.of("p50", "p99")) {
            expect(wrong, id, rows, "WindowDuration " + percentile + " in " + namespace,
                    r -> r.is(namespace, "WindowDuration") && percentile.equals(r.stat()));
        }
        expect(wrong, id, rows, "the work queue's depth (AWS/SQS ApproximateNumberOfMessagesVisible " + queue + ")",
                r -> r.is("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", queue));
        expect(wrong, id, rows, "the work queue's oldest message (AWS/SQS ApproximateAgeOfOldestMessage " + queue + ")",
                r -> r.is("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue));
        expect(wrong, id, rows, "the DLQ's depth (AWS/SQS ApproximateNumberOfMessagesVisible " + dlq + ")",
                r -> r.is("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", dlq));
        for (String metric : List.of("Errors", "Throttles")) {
            expect(wrong, id, rows, "the worker's " + metric + " (AWS/Lambda " + metric + " " + worker + ")",
                    r -> r.is("AWS/Lambda", metric, "FunctionName", worker));
        }
        expect(wrong, id, rows, "the worker's ConcurrentExecutions (Maximum) with a horizontal annotation at "
                        + "${MaxConcurrency}",
                r -> r.is("AWS/Lambda", "ConcurrentExecutions", "FunctionName", worker) && "Maximum".equals(r.stat())
                        && annotatedAt(r.widget(), "${MaxConcurrency}"));
        return wrong;
    }

    /** The namespace both functions write their EMF metrics to, as a Sub string: {@code Backfill/${AWS::StackName}}. */
    static Optional<String> metricsNamespace(Template t) {
        return t.functionWithHandler("worker")
                .map(worker -> environment(t.function(worker)).get("BACKFILL_METRICS_NAMESPACE"))
                .map(Template::asSub);
    }

    private static void expect(List<String> wrong, String id, List<Row> rows, String what, Predicate<Row> row) {
        if (rows.stream().noneMatch(row)) {
            wrong.add(id + " must show " + what);
        }
    }

    private static boolean annotatedAt(JsonNode widget, String value) {
        for (JsonNode line : widget.at("/properties/annotations/horizontal")) {
            if (value.equals(line.path("value").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Every metric line of every metric widget, or empty when the body is not JSON. */
    static Optional<List<Row>> rows(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(BARE_PLACEHOLDER.matcher(body).replaceAll("$1\"$2\""));
        } catch (IOException e) {
            return Optional.empty();
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode widget : root.path("widgets")) {
            JsonNode properties = widget.path("properties");
            for (JsonNode line : properties.path("metrics")) {
                List<String> metric = new ArrayList<>();
                JsonNode options = JSON.createObjectNode();
                for (JsonNode element : line) {
                    if (element.isObject()) {
                        options = element;
                    } else {
                        metric.add(element.asText());
                    }
                }
                rows.add(new Row(metric, options.path("stat").asText(properties.path("stat").asText()),
                        options.path("period").asText(properties.path("period").asText()), widget));
            }
        }
        return Optional.of(rows);
    }
}
