package dev.backfill.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a log event the way CloudWatch Logs reads an Embedded Metric Format document ("Specification: Embedded metric
 * format"), and says what in it breaks the specification: the whole event is one JSON object; {@code _aws} holds a
 * numeric {@code Timestamp} and a {@code CloudWatchMetrics} array of directives, each with a {@code Namespace},
 * {@code Dimensions} (arrays of at most 30 member names) and {@code Metrics} (at most 100 {@code Name}/{@code Unit}
 * definitions); the objects the specification defines have no other members; every referenced dimension is a string
 * member of the root and every metric a number (or an array of at most 100 numbers).
 */
public final class EmfSpec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
            "Count/Second", "None");

    private EmfSpec() {
    }

    /** The event as a JSON tree. @throws UncheckedIOException if it is not JSON */
    public static JsonNode parse(String event) {
        try {
            return JSON.readTree(event);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON: " + event, e);
        }
    }

    /** Whether the event is meant as an EMF document: a JSON object with {@code _aws}. */
    public static boolean isEmf(String event) {
        if (!event.startsWith("{")) {
            return false;
        }
        try {
            JsonNode node = JSON.readTree(event);
            return node.isObject() && node.has("_aws");
        } catch (IOException e) {
            return false;
        }
    }

    /** What in the event breaks the specification; empty for a valid document. */
    public static List<String> violations(String event) {
        List<String> wrong = new ArrayList<>();
        if (event.contains("\n") || !event.strip().equals(event)) {
            wrong.add("the log event must be the JSON object alone, on one line");
        }
        JsonNode root;
        try {
            root = JSON.readTree(event);
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            return List.of("the root must be a JSON object");
        }
        JsonNode aws = root.path("_aws");
        if (!aws.isObject()) {
            return List.of("_aws must be an object");
        }
        onlyMembers(wrong, "_aws", aws, Set.of("Timestamp", "CloudWatchMetrics", "LogGroupName"));
        if (!aws.path("Timestamp").isIntegralNumber() || aws.path("Timestamp").asLong() <= 0) {
            wrong.add("_aws.Timestamp must be milliseconds since the epoch, found " + aws.get("Timestamp"));
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray()) {
            wrong.add("_aws.CloudWatchMetrics must be an array");
            return wrong;
        }
        for (JsonNode directive : directives) {
            directive(wrong, root, directive);
        }
        return wrong;
    }

    private static void directive(List<String> wrong, JsonNode root, JsonNode directive) {
        onlyMembers(wrong, "MetricDirective", directive, Set.of("Namespace", "Dimensions", "Metrics"));
        String namespace = directive.path("Namespace").asText("");
        if (!directive.path("Namespace").isTextual() || namespace.isBlank() || namespace.length() > 255) {
            wrong.add("Namespace must be a string of 1 to 255 characters, found " + directive.get("Namespace"));
        }
        if (!directive.path("Dimensions").isArray()) {
            wrong.add("Dimensions must be an array of dimension sets");
        }
        for (JsonNode set : directive.path("Dimensions")) {
            if (!set.isArray() || set.size() > 30) {
                wrong.add("a DimensionSet must be an array of at most 30 names, found " + set);
                continue;
            }
            for (JsonNode name : set) {
                if (!name.isTextual() || !root.path(name.asText()).isTextual()) {
                    wrong.add("dimension " + name + " must name a string member of the root, found "
                            + root.get(name.asText()));
                }
            }
        }
        JsonNode metrics = directive.path("Metrics");
        if (!metrics.isArray() || metrics.size() > 100) {
            wrong.add("Metrics must be an array of at most 100 metric definitions");
            return;
        }
        for (JsonNode metric : metrics) {
            onlyMembers(wrong, "MetricDefinition", metric, Set.of("Name", "Unit", "StorageResolution"));
            String name = metric.path("Name").asText("");
            JsonNode value = root.path(name);
            boolean numeric = value.isNumber() || value.isArray() && value.size() <= 100 && allNumbers(value);
            if (name.isEmpty() || !numeric) {
                wrong.add("metric " + metric.get("Name") + " must name a numeric member of the root, found " + value);
            }
            if (metric.has("Unit") && !UNITS.contains(metric.path("Unit").asText())) {
                wrong.add("metric " + name + " has unit " + metric.get("Unit") + ", not a CloudWatch unit");
            }
        }
    }

    /** Each metric's value, by name, of a valid document. */
    public static Map<String, Double> metricValues(String event) {
        JsonNode root = parse(event);
        Map<String, Double> values = new LinkedHashMap<>();
        for (JsonNode directive : root.path("_aws").path("CloudWatchMetrics")) {
            for (JsonNode metric : directive.path("Metrics")) {
                values.put(metric.path("Name").asText(), root.path(metric.path("Name").asText()).asDouble());
            }
        }
        return values;
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static void onlyMembers(List<String> wrong, String what, JsonNode node, Set<String> allowed) {
        if (!node.isObject()) {
            wrong.add(what + " must be an object, found " + node);
            return;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                wrong.add(what + " has the member " + name + ", which the specification does not define");
            }
        }
    }
}
