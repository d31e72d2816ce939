package dev.backfill.infra;

import static dev.backfill.infra.Template.getAtt;
import static dev.backfill.infra.Template.map;
import static dev.backfill.infra.Template.ref;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backfill.infra.Invariant.Violation;
import dev.backfill.job.OutputSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs every {@link Invariant} over a template, and holds the checks of the schedule, the parameters and the
 * outputs (functions: {@link FunctionInvariants}; queue and mapping: {@link QueueInvariants}; bucket:
 * {@link BucketInvariants}; IAM: {@link IamInvariants}; catalog: {@link GlueInvariants}; monitoring:
 * {@link DashboardInvariants}, {@link AlarmInvariants}). Every check returns what is wrong, naming the resource and
 * the value; an empty list means the invariant holds.
 */
final class TemplateInvariants {

    static final String SCHEDULED_TIME_INPUT = "<aws.scheduler.scheduled-time>";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> handlerNames;
    private final Map<String, OutputSchema> tables;

    /**
     * @param handlerNames the {@code @Named} Lambda handlers of the code, which the template must deploy
     * @param tables       each job's output table and its declared schema, which the catalog must describe
     */
    TemplateInvariants(Set<String> handlerNames, Map<String, OutputSchema> tables) {
        this.handlerNames = Set.copyOf(handlerNames);
        this.tables = Map.copyOf(tables);
    }

    List<Violation> check(Template template) {
        return Arrays.stream(Invariant.values()).flatMap(invariant -> invariant.check(this, template).stream())
                .toList();
    }

    List<String> handlerNamesMatchCode(Template t) {
        return FunctionInvariants.handlerNamesMatchCode(t, handlerNames);
    }

    List<String> glueTableLocations(Template t) {
        return GlueInvariants.tableLocations(t, tables);
    }

    List<String> glueTableColumns(Template t) {
        return GlueInvariants.tableColumns(t, tables);
    }

    List<String> gluePartitionProjection(Template t) {
        return GlueInvariants.partitionProjection(t, tables);
    }

    static List<String> schedulePassesScheduledTime(Template t) {
        List<String> schedules = t.ofType("AWS::Scheduler::Schedule");
        Optional<String> dispatcher = t.functionWithHandler("dispatcher");
        if (schedules.isEmpty() || dispatcher.isEmpty()) {
            return List.of("expected an AWS::Scheduler::Schedule and a dispatcher function, found " + schedules);
        }
        List<String> wrong = new ArrayList<>();
        for (String id : schedules) {
            Map<String, Object> schedule = t.properties(id);
            Map<String, Object> target = map(schedule.get("Target"));
            if (!Template.invokes(target.get("Arn"), dispatcher.get())) {
                wrong.add(id + " must target " + dispatcher.get() + ", found " + target.get("Arn"));
            }
            if (!Map.of("scheduledTime", SCHEDULED_TIME_INPUT).equals(json(target.get("Input")))) {
                wrong.add(id + " Input must be {\"scheduledTime\":\"" + SCHEDULED_TIME_INPUT + "\"}, found "
                        + target.get("Input"));
            }
            if (!ref(schedule.get("ScheduleExpressionTimezone")).equals(Optional.of("ScheduleTimezone"))) {
                wrong.add(id + " ScheduleExpressionTimezone must be !Ref ScheduleTimezone, found "
                        + schedule.get("ScheduleExpressionTimezone"));
            }
            if (!target.containsKey("RetryPolicy") || getAtt(map(target.get("DeadLetterConfig")).get("Arn"), "Arn")
                    .isEmpty()) {
                wrong.add(id + " Target needs a RetryPolicy and a DeadLetterConfig queue");
            }
            getAtt(target.get("RoleArn"), "Arn").ifPresentOrElse(
                    role -> invokesOnly(t, role, dispatcher.get(), wrong),
                    () -> wrong.add(id + " Target.RoleArn must be a role of this template"));
        }
        return wrong;
    }

    private static void invokesOnly(Template t, String role, String dispatcher, List<String> wrong) {
        PolicyStatement.ofRole(t, role).stream()
                .filter(s -> s.actions().stream().anyMatch(action -> action.startsWith("lambda:")))
                .filter(s -> s.resources().isEmpty()
                        || !s.resources().stream().allMatch(resource -> Template.invokes(resource, dispatcher)))
                .forEach(s -> wrong.add(s.where() + " may invoke " + s.resources() + "; only " + dispatcher));
    }

    static List<String> parametersValidated(Template t) {
        return ParameterRules.check(t.section("Parameters"));
    }

    /** The outputs operators and {@code make} read, each the value of the resource it names. */
    static List<String> outputs(Template t) {
        Map<String, Object> outputs = t.section("Outputs");
        String dispatcher = t.functionWithHandler("dispatcher").orElse("?");
        String worker = t.functionWithHandler("worker").orElse("?");
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("DispatcherFunctionName", "${" + dispatcher + "}");
        expected.put("DispatcherFunctionArn", "${" + dispatcher + ".Arn}");
        expected.put("DispatcherAliasArn", "${" + dispatcher + ".Alias}");
        expected.put("WorkerFunctionName", "${" + worker + "}");
        expected.put("WorkerFunctionArn", "${" + worker + ".Arn}");
        expected.put("WorkerAliasArn", "${" + worker + ".Alias}");
        expected.put("QueueUrl", "${" + QueueInvariants.workQueue(t).orElse("?") + "}");
        expected.put("DeadLetterQueueUrl", "${" + QueueInvariants.deadLetterQueue(t).orElse("?") + "}");
        expected.put("BucketName", "${" + t.ofType("AWS::S3::Bucket").stream().findFirst().orElse("?") + "}");
        List<String> wrong = new ArrayList<>();
        expected.forEach((name, value) -> {
            Map<String, Object> output = map(outputs.get(name));
            if (!output.containsKey("Value")) {
                wrong.add("missing output " + name);
            } else if (!value.equals(Template.asSub(output.get("Value")))) {
                wrong.add("output " + name + " must be " + value + ", found " + Template.asSub(output.get("Value")));
            }
        });
        return wrong;
    }

    private static Object json(Object value) {
        try {
            return value instanceof String text ? JSON.readValue(text, Map.class) : value;
        } catch (JsonProcessingException e) {
            return "not JSON: " + value;
        }
    }
}
