package dev.backfill.infra;

import static dev.backfill.infra.Template.asSub;
import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;
import static dev.backfill.infra.Template.ref;

import dev.backfill.job.OutputSchema;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Each job's output table is in the Glue catalog as Athena needs it: over {@code tables/<table>/} of the data bucket,
 * read with the OpenX JSON SerDe, the job's declared columns in order, and {@code dt} as a projected date partition
 * whose range and location template are valid, so a new day is queryable without a crawler or MSCK REPAIR.
 */
final class GlueInvariants {

    static final String JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe";
    static final String TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";
    static final String DAY_FORMAT = "yyyy-MM-dd";
    /** Athena's relative date: NOW, optionally plus or minus an amount of a unit ("NOW-3YEARS"). */
    private static final Pattern RELATIVE = Pattern.compile(
            "NOW(?:\\s*[+-]\\s*\\d+\\s*(?:YEARS?|MONTHS?|WEEKS?|DAYS?|HOURS?|MINUTES?|SECONDS?))?");

    private GlueInvariants() {
    }

    static List<String> tableLocations(Template t, Map<String, OutputSchema> tables) {
        List<String> wrong = new ArrayList<>();
        String bucket = t.ofType("AWS::S3::Bucket").stream().findFirst().orElse("?");
        tables.keySet().forEach(table -> table(t, table).ifPresentOrElse(id -> {
            Map<String, Object> storage = map(input(t, id).get("StorageDescriptor"));
            String expected = location(bucket, table);
            expect(wrong, id + " StorageDescriptor.Location", asSub(storage.get("Location")), expected);
            expect(wrong, id + " SerdeInfo.SerializationLibrary",
                    map(storage.get("SerdeInfo")).get("SerializationLibrary"), JSON_SERDE);
            expect(wrong, id + " StorageDescriptor.InputFormat", storage.get("InputFormat"), TEXT_INPUT);
            expect(wrong, id + " TableType", input(t, id).get("TableType"), "EXTERNAL_TABLE");
            Optional<String> database = ref(t.properties(id).get("DatabaseName"));
            if (database.isEmpty() || !"AWS::Glue::Database".equals(t.type(database.get()))) {
                wrong.add(id + " DatabaseName must be !Ref an AWS::Glue::Database of this template, found "
                        + t.properties(id).get("DatabaseName"));
            }
        }, () -> wrong.add("no AWS::Glue::Table named " + table + " for the job output " + table)));
        t.ofType("AWS::Glue::Table").stream()
                .filter(id -> !tables.containsKey(String.valueOf(input(t, id).get("Name"))))
                .forEach(id -> wrong.add(id + " describes " + input(t, id).get("Name") + ", which no job writes; jobs "
                        + "write " + tables.keySet()));
        return wrong;
    }

    static List<String> tableColumns(Template t, Map<String, OutputSchema> tables) {
        List<String> wrong = new ArrayList<>();
        tables.forEach((table, schema) -> table(t, table).ifPresent(id -> {
            Map<String, Object> input = input(t, id);
            List<String> declared = new ArrayList<>();
            schema.keys().forEach(c -> declared.add(c.name() + " " + c.type().catalogName() + " (key)"));
            schema.measures().forEach(c -> declared.add(c.name() + " " + c.type().catalogName() + " (measure)"));
            List<String> found = list(map(input.get("StorageDescriptor")).get("Columns")).stream().map(Template::map)
                    .map(c -> c.get("Name") + " " + c.get("Type") + " (" + c.get("Comment") + ")").toList();
            if (!found.equals(declared)) {
                wrong.add(id + " Columns must be the job's output schema " + declared + ", found " + found);
            }
            List<String> partition = List.of(OutputSchema.PARTITION.name() + " "
                    + OutputSchema.PARTITION.type().catalogName());
            if (!columns(input.get("PartitionKeys")).equals(partition)) {
                wrong.add(id + " PartitionKeys must be " + partition + ", found "
                        + columns(input.get("PartitionKeys")));
            }
        }));
        return wrong;
    }

    static List<String> partitionProjection(Template t, Map<String, OutputSchema> tables) {
        List<String> wrong = new ArrayList<>();
        String bucket = t.ofType("AWS::S3::Bucket").stream().findFirst().orElse("?");
        tables.keySet().forEach(table -> table(t, table).ifPresent(id -> {
            Map<String, Object> parameters = map(input(t, id).get("Parameters"));
            String dt = "projection." + OutputSchema.PARTITION.name() + ".";
            expect(wrong, id + " projection.enabled", parameters.get("projection.enabled"), "true");
            expect(wrong, id + " " + dt + "type", parameters.get(dt + "type"), "date");
            expect(wrong, id + " " + dt + "format", parameters.get(dt + "format"), DAY_FORMAT);
            // In a Sub string ${!dt} is the literal ${dt}, the placeholder Athena fills with the partition value.
            expect(wrong, id + " storage.location.template", asSub(parameters.get("storage.location.template")),
                    location(bucket, table) + "dt=${!dt}/");
            rangeProblem(t, asSub(parameters.get(dt + "range")))
                    .ifPresent(problem -> wrong.add(id + " " + dt + "range " + problem));
        }));
        return wrong;
    }

    /** What is wrong with a date projection range "start,end", its parameters taking their defaults. */
    static Optional<String> rangeProblem(Template t, String range) {
        String resolved = range;
        for (Map.Entry<String, Object> parameter : t.section("Parameters").entrySet()) {
            resolved = resolved.replace("${" + parameter.getKey() + "}",
                    String.valueOf(map(parameter.getValue()).get("Default")));
        }
        String[] ends = resolved.split(",", -1);
        if (ends.length != 2) {
            return Optional.of("'" + range + "' must be two dates, start,end");
        }
        Optional<LocalDate> start = day(ends[0].trim());
        Optional<LocalDate> end = day(ends[1].trim());
        for (String value : ends) {
            if (!RELATIVE.matcher(value.trim()).matches() && day(value.trim()).isEmpty()) {
                return Optional.of("'" + range + "': '" + value + "' is neither " + DAY_FORMAT + " nor NOW[+-N UNIT]");
            }
        }
        if (start.isPresent() && end.isPresent() && start.get().isAfter(end.get())) {
            return Optional.of("'" + range + "' starts after it ends");
        }
        return Optional.empty();
    }

    private static Optional<LocalDate> day(String value) {
        try {
            return Optional.of(LocalDate.parse(value, DateTimeFormatter.ofPattern("uuuu-MM-dd")));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static String location(String bucket, String table) {
        return "s3://${" + bucket + "}/tables/" + table + "/";
    }

    /** The Glue table whose TableInput.Name is {@code table}. */
    static Optional<String> table(Template t, String table) {
        return t.ofType("AWS::Glue::Table").stream().filter(id -> table.equals(input(t, id).get("Name"))).findFirst();
    }

    private static Map<String, Object> input(Template t, String id) {
        return map(t.properties(id).get("TableInput"));
    }

    /** "name type" of each column of a Glue column list. */
    private static List<String> columns(Object columns) {
        return list(columns).stream().map(Template::map).map(c -> c.get("Name") + " " + c.get("Type")).toList();
    }

    private static void expect(List<String> wrong, String what, Object found, String expected) {
        if (!expected.equals(String.valueOf(found))) {
            wrong.add(what + " must be " + expected + ", found " + found);
        }
    }
}
