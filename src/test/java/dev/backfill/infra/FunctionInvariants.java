package dev.backfill.infra;

import static dev.backfill.infra.Template.asSub;
import static dev.backfill.infra.Template.environment;
import static dev.backfill.infra.Template.getAtt;
import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;
import static dev.backfill.infra.Template.ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The two functions: one code zip, the handlers the code declares, the runtime the build needs, the stack's
 * configuration in their environment, and explicit roles whose logs go to declared log groups with a retention.
 */
final class FunctionInvariants {

    static final String JVM_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    /** C1 only: what Lambda recommends for short Java functions' start-up. */
    static final String JVM_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private FunctionInvariants() {
    }

    static List<String> oneCodeZip(Template t) {
        List<String> wrong = new ArrayList<>();
        List<String> functions = t.ofType(Template.SERVERLESS_FUNCTION);
        if (map(t.section("Globals").get("Function")).containsKey("CodeUri")) {
            wrong.add("Globals.Function.CodeUri is ignored by `aws cloudformation package`; set CodeUri per function");
        }
        t.ofType("AWS::Lambda::Function").forEach(id -> wrong.add(id + " is a plain AWS::Lambda::Function"));
        Set<String> zips = new TreeSet<>();
        functions.forEach(id -> zips.add(String.valueOf(t.properties(id).get("CodeUri"))));
        if (zips.size() != 1) {
            wrong.add("the functions " + functions + " must share one CodeUri, found " + zips);
        } else if (!zips.iterator().next().endsWith("/function.zip")) {
            wrong.add("CodeUri " + zips + " is not the build's function.zip");
        }
        return wrong;
    }

    static List<String> handlerNamesMatchCode(Template t, Set<String> handlerNames) {
        List<String> wrong = new ArrayList<>();
        List<String> deployed = new ArrayList<>();
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            Object handler = environment(t.function(id)).get("QUARKUS_LAMBDA_HANDLER");
            if (!handlerNames.contains(handler)) {
                wrong.add(id + " sets QUARKUS_LAMBDA_HANDLER=" + handler + "; the code's @Named handlers are "
                        + new TreeSet<>(handlerNames));
            }
            deployed.add(String.valueOf(handler));
        }
        if (!new TreeSet<>(deployed).equals(new TreeSet<>(handlerNames)) || deployed.size() != handlerNames.size()) {
            wrong.add("each @Named handler " + new TreeSet<>(handlerNames) + " must run in exactly one function, found "
                    + deployed);
        }
        return wrong;
    }

    static List<String> runtimeFollowsBuild(Template t) {
        List<String> wrong = new ArrayList<>();
        Map<String, Object> build = map(t.section("Parameters").get("Build"));
        if (!list(build.get("AllowedValues")).equals(List.of("jvm", "native"))) {
            wrong.add("parameter Build must allow exactly [jvm, native], found " + build.get("AllowedValues"));
        }
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            Map<String, Object> function = t.function(id);
            expectIfNative(t, wrong, id + " Runtime", function.get("Runtime"), "provided.al2023", "java21");
            expectIfNative(t, wrong, id + " Handler", function.get("Handler"), null, JVM_HANDLER);
            expectIfNative(t, wrong, id + " DISABLE_SIGNAL_HANDLERS",
                    environment(function).get("DISABLE_SIGNAL_HANDLERS"), "true", null);
            expectIfNative(t, wrong, id + " JAVA_TOOL_OPTIONS", environment(function).get("JAVA_TOOL_OPTIONS"),
                    Map.of("Ref", "AWS::NoValue"), JVM_TOOL_OPTIONS);
        }
        return wrong;
    }

    /** Expects {@code Fn::If [c, native, jvm]} where c is Build = native; a null expectation accepts anything. */
    private static void expectIfNative(Template t, List<String> wrong, String what, Object value, Object whenNative,
                                       Object whenJvm) {
        List<Object> args = list(map(value).get("Fn::If"));
        if (args.size() != 3 || !isBuildNative(t, args.get(0))) {
            wrong.add(what + " must be !If [<Build is native>, ...], found " + value);
            return;
        }
        boolean nativeWrong = whenNative != null && !whenNative.equals(args.get(1));
        boolean jvmWrong = whenJvm != null && !whenJvm.equals(args.get(2));
        if (nativeWrong || jvmWrong) {
            wrong.add(what + " must be " + whenNative + " for native and " + whenJvm + " for jvm, found " + value);
        }
    }

    static boolean isBuildNative(Template t, Object conditionName) {
        List<Object> equals = list(map(t.section("Conditions").get(String.valueOf(conditionName))).get("Fn::Equals"));
        return equals.size() == 2 && (isBuild(equals.get(0)) && "native".equals(equals.get(1))
                || isBuild(equals.get(1)) && "native".equals(equals.get(0)));
    }

    private static boolean isBuild(Object value) {
        return ref(value).equals(Optional.of("Build"));
    }

    static List<String> functionConfiguration(Template t) {
        List<String> wrong = new ArrayList<>();
        Optional<String> queue = QueueInvariants.workQueue(t);
        Optional<String> worker = t.functionWithHandler("worker");
        Map<String, Object> workerFunction = worker.map(t::function).orElse(Map.of());
        Map<String, String> expected = Map.ofEntries(
                Map.entry("BACKFILL_BUCKET", "${" + t.ofType("AWS::S3::Bucket").stream().findFirst().orElse("?") + "}"),
                Map.entry("BACKFILL_QUEUE_URL", "${" + queue.orElse("?") + "}"),
                Map.entry("BACKFILL_DLQ_URL", "${" + QueueInvariants.deadLetterQueue(t).orElse("?") + "}"),
                Map.entry("BACKFILL_ZONE", "${ScheduleTimezone}"),
                Map.entry("BACKFILL_SCHEDULE_JOB", "${ScheduleJob}"),
                Map.entry("BACKFILL_SCHEDULE_MAX_CATCH_UP_DAYS", "${MaxCatchUpDays}"),
                // What the dispatcher estimates with must be what the worker runs with.
                Map.entry("BACKFILL_WORKER_TIMEOUT", asSub(workerFunction.get("Timeout")) + "s"),
                Map.entry("BACKFILL_WORKER_MEMORY_MB", asSub(workerFunction.get("MemorySize"))),
                Map.entry("BACKFILL_UPSTREAM_MAX_CONCURRENCY", "${MaxConcurrency}"),
                Map.entry("BACKFILL_UPSTREAM_REQUESTS_PER_SECOND", "${UpstreamRequestsPerSecond}"),
                Map.entry("BACKFILL_LOG_LEVEL", "${LogLevel}"),
                Map.entry("BACKFILL_NONCURRENT_VERSION_RETENTION_DAYS", "${NoncurrentVersionRetentionDays}"),
                Map.entry("BACKFILL_METRICS_NAMESPACE", "Backfill/${AWS::StackName}"));
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            Map<String, Object> function = t.function(id);
            if (!"${MemorySize}".equals(asSub(function.get("MemorySize")))) {
                wrong.add(id + " MemorySize must be !Ref MemorySize, found " + function.get("MemorySize"));
            }
            Map<String, Object> variables = environment(function);
            new TreeSet<>(expected.keySet()).forEach(name -> {
                if (!expected.get(name).equals(asSub(variables.get(name)))) {
                    wrong.add(id + " sets " + name + "=" + variables.get(name) + ", expected " + expected.get(name));
                }
            });
        }
        worker.ifPresent(id -> {
            if (!"${WorkerTimeoutSeconds}".equals(asSub(workerFunction.get("Timeout")))) {
                wrong.add(id + " Timeout must be !Ref WorkerTimeoutSeconds, found " + workerFunction.get("Timeout"));
            }
        });
        return wrong;
    }

    static List<String> explicitRoles(Template t) {
        List<String> wrong = new ArrayList<>();
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            Map<String, Object> function = t.function(id);
            Optional<String> role = getAtt(function.get("Role"), "Arn");
            if (role.isEmpty() || !"AWS::IAM::Role".equals(t.type(role.get()))) {
                wrong.add(id + " must use an AWS::IAM::Role of this template, found Role " + function.get("Role"));
            }
            if (function.containsKey("Policies")) {
                wrong.add(id + " has SAM Policies; grant in its explicit role instead");
            }
        }
        // Managed policies such as AWSLambdaBasicExecutionRole allow logs on every resource.
        t.ofType("AWS::IAM::Role").stream().filter(id -> t.properties(id).containsKey("ManagedPolicyArns"))
                .forEach(id -> wrong.add(id + " attaches managed policies " + t.properties(id).get("ManagedPolicyArns")));
        return wrong;
    }

    static List<String> logGroupsWithRetention(Template t) {
        List<String> wrong = new ArrayList<>();
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            String name = asSub(t.properties(id).get("FunctionName"));
            Optional<String> group = t.ofType("AWS::Logs::LogGroup").stream()
                    .filter(g -> asSub(t.properties(g).get("LogGroupName")).equals("/aws/lambda/" + name)).findFirst();
            if (group.isEmpty() || !t.properties(group.get()).containsKey("RetentionInDays")) {
                wrong.add(id + " (FunctionName " + name + ") needs an AWS::Logs::LogGroup /aws/lambda/" + name
                        + " with RetentionInDays");
                continue;
            }
            getAtt(t.function(id).get("Role"), "Arn").ifPresent(role -> PolicyStatement.ofRole(t, role).stream()
                    .filter(s -> s.actions().stream().anyMatch(action -> action.startsWith("logs:")))
                    .filter(s -> !s.resources().stream().map(Template::asSub).toList()
                            .equals(List.of("${" + group.get() + ".Arn}")))
                    .forEach(s -> wrong.add(s.where() + " grants logs on " + s.resources() + ", not only "
                            + group.get())));
        }
        return wrong;
    }
}
