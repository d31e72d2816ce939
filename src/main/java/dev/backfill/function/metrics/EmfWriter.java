package dev.backfill.function.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes CloudWatch Embedded Metric Format documents ("Specification: Embedded metric format", CloudWatch User Guide)
 * as one line of JSON each, for a log event of its own: CloudWatch Logs extracts the metrics from an event whose whole
 * message is such an object.
 *
 * <pre>{"_aws":{"Timestamp":1775692800000,"CloudWatchMetrics":[{"Namespace":"Backfill","Dimensions":[["Job"]],
 *   "Metrics":[{"Name":"WindowsCommitted","Unit":"Count"}]}]},"Job":"daily_event_counts","WindowsCommitted":1}</pre>
 *
 * One metric directive per document. Its dimension sets say along which dimensions CloudWatch aggregates each metric:
 * {@code [["Job"]]} per job, {@code [["Job"],[]]} also across all jobs (an empty set is a metric without dimensions).
 * Each dimension and metric is a target member of the root: dimension values are strings, metric values numbers.
 * Properties are further root members (searchable in Logs Insights, never dimensions). Written with Jackson's
 * streaming generator: nothing here needs reflection, in a native build or not.
 */
public final class EmfWriter {

    /** A MetricDirective holds at most 100 metrics, a DimensionSet at most 30 dimensions (the specification). */
    static final int MAX_METRICS = 100;
    static final int MAX_DIMENSIONS = 30;
    /** Dimension names: 1-255 characters; values: 1-1024 (CloudWatch API Reference, Dimension). */
    static final int MAX_DIMENSION_NAME = 255;
    static final int MAX_DIMENSION_VALUE = 1024;
    /** Namespace: 1-255 of these characters, not AWS/ which AWS reserves (CloudWatch concepts, Namespaces). */
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._#:/-]{1,255}");
    private static final Pattern ASCII_PRINTABLE = Pattern.compile("[\\x20-\\x7E]+");
    private static final JsonFactory JSON = new JsonFactory();

    private final String namespace;

    /** @throws IllegalArgumentException if CloudWatch would refuse the namespace */
    public EmfWriter(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        if (!NAMESPACE.matcher(namespace).matches() || namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("Metric namespace '" + namespace + "' must be 1 to 255 of A-Z a-z 0-9 "
                    + ". - _ / # : and must not start with AWS/");
        }
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    /** One EMF document, on one line, with one dimension set: all of {@code dimensions}, in order. */
    public String write(Instant timestamp, Map<String, String> dimensions, List<Metric> metrics,
                        Map<String, ?> properties) {
        return write(timestamp, dimensions, List.of(List.copyOf(dimensions.keySet())), metrics, properties);
    }

    /**
     * One EMF document, on one line.
     *
     * @param timestamp     when the metrics were observed; written as milliseconds since the epoch
     * @param dimensions    each dimension's value (ASCII names and values)
     * @param dimensionSets the dimension sets, each at most 30 names of {@code dimensions}; an empty set aggregates
     *                      over every dimension value
     * @param metrics       at most 100, uniquely named
     * @param properties    further members: strings, numbers or booleans; their names must not be a dimension's or a
     *                      metric's
     * @throws IllegalArgumentException naming the member at fault, if the document would break the specification
     */
    public String write(Instant timestamp, Map<String, String> dimensions, List<List<String>> dimensionSets,
                        List<Metric> metrics, Map<String, ?> properties) {
        Objects.requireNonNull(timestamp, "timestamp");
        check(dimensions, dimensionSets, metrics, properties);
        StringWriter out = new StringWriter(256 + 48 * metrics.size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("_aws");
            json.writeNumberField("Timestamp", timestamp.toEpochMilli());
            json.writeArrayFieldStart("CloudWatchMetrics");
            json.writeStartObject();
            json.writeStringField("Namespace", namespace);
            json.writeArrayFieldStart("Dimensions");
            for (List<String> set : dimensionSets) {
                json.writeStartArray();
                for (String name : set) {
                    json.writeString(name);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("Metrics");
            for (Metric metric : metrics) {
                json.writeStartObject();
                json.writeStringField("Name", metric.name());
                json.writeStringField("Unit", metric.unit().cloudWatchName());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            for (Map.Entry<String, String> dimension : dimensions.entrySet()) {
                json.writeStringField(dimension.getKey(), dimension.getValue());
            }
            for (Metric metric : metrics) {
                writeNumber(json, metric.name(), metric.value());
            }
            for (Map.Entry<String, ?> property : properties.entrySet()) {
                writeProperty(json, property.getKey(), property.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write an EMF document in memory", e);
        }
        return out.toString();
    }

    private static void check(Map<String, String> dimensions, List<List<String>> dimensionSets, List<Metric> metrics,
                              Map<String, ?> properties) {
        if (dimensionSets.isEmpty()) {
            throw new IllegalArgumentException("An EMF metric directive needs at least one dimension set");
        }
        for (List<String> set : dimensionSets) {
            if (set.size() > MAX_DIMENSIONS) {
                throw new IllegalArgumentException("An EMF dimension set holds at most " + MAX_DIMENSIONS
                        + " dimensions, not " + set.size());
            }
            set.stream().filter(name -> !dimensions.containsKey(name)).findFirst().ifPresent(name -> {
                throw new IllegalArgumentException("Dimension set " + set + " names " + name + ", which has no value");
            });
        }
        if (metrics.isEmpty() || metrics.size() > MAX_METRICS) {
            throw new IllegalArgumentException("An EMF metric directive holds 1 to " + MAX_METRICS + " metrics, not "
                    + metrics.size());
        }
        Set<String> members = new HashSet<>(Set.of("_aws"));
        dimensions.forEach((name, value) -> {
            checkDimension(name, value);
            unique(members, name);
        });
        metrics.forEach(metric -> unique(members, metric.name()));
        properties.keySet().forEach(name -> unique(members, name));
    }

    private static void checkDimension(String name, String value) {
        if (name.length() > MAX_DIMENSION_NAME || !ASCII_PRINTABLE.matcher(name).matches() || name.isBlank()
                || name.startsWith(":")) {
            throw new IllegalArgumentException("Dimension name '" + name + "' must be 1 to " + MAX_DIMENSION_NAME
                    + " printable ASCII characters, not all blank, not starting with ':'");
        }
        if (value == null || value.length() > MAX_DIMENSION_VALUE || !ASCII_PRINTABLE.matcher(value).matches()
                || value.isBlank()) {
            throw new IllegalArgumentException("Dimension " + name + " must have a value of 1 to "
                    + MAX_DIMENSION_VALUE + " printable ASCII characters, not all blank; found '" + value + "'");
        }
    }

    private static void unique(Set<String> members, String name) {
        if (!members.add(name)) {
            throw new IllegalArgumentException("EMF member '" + name + "' is given twice (dimensions, metrics and "
                    + "properties share the root object; _aws is reserved)");
        }
    }

    /** Integral values as integers ("1", not "1.0"), up to the doubles' exact range. */
    private static void writeNumber(JsonGenerator json, String name, double value) throws IOException {
        if (value == Math.rint(value) && Math.abs(value) <= (1L << 53)) {
            json.writeNumberField(name, (long) value);
        } else {
            json.writeNumberField(name, value);
        }
    }

    private static void writeProperty(JsonGenerator json, String name, Object value) throws IOException {
        if (value instanceof String text) {
            json.writeStringField(name, text);
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumberField(name, ((Number) value).longValue());
        } else if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            json.writeNumberField(name, number.doubleValue());
        } else if (value instanceof Boolean flag) {
            json.writeBooleanField(name, flag);
        } else {
            throw new IllegalArgumentException("EMF property " + name + " must be a string, a finite number or a "
                    + "boolean, not " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
    }
}
