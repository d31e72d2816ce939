package dev.backfill.infra;

import static dev.backfill.infra.Template.asSub;
import static dev.backfill.infra.Template.getAtt;
import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alarms beyond dead letters: a window waiting in the work queue longer than a threshold the stack sets, and the
 * share of worker invocations that failed their window (metric math over Lambda's and the functions' own metrics).
 * Both notify the alarm topic.
 */
final class AlarmInvariants {

    private AlarmInvariants() {
    }

    static List<String> oldestMessageAge(Template t) {
        Optional<String> queue = QueueInvariants.workQueue(t);
        List<Map<String, Object>> alarms = t.ofType("AWS::CloudWatch::Alarm").stream().map(t::properties)
                .filter(alarm -> "AWS/SQS".equals(alarm.get("Namespace"))
                        && "ApproximateAgeOfOldestMessage".equals(alarm.get("MetricName"))
                        && list(alarm.get("Dimensions")).stream().anyMatch(d -> "QueueName".equals(map(d).get("Name"))
                                && getAtt(map(d).get("Value"), "QueueName").equals(queue)))
                .toList();
        if (alarms.isEmpty()) {
            return List.of("no alarm on " + queue.orElse("the work queue") + " ApproximateAgeOfOldestMessage");
        }
        List<String> wrong = new ArrayList<>();
        for (Map<String, Object> alarm : alarms) {
            if (!"${OldestMessageAlarmSeconds}".equals(asSub(alarm.get("Threshold")))
                    || !"GreaterThanThreshold".equals(alarm.get("ComparisonOperator"))) {
                wrong.add("the ApproximateAgeOfOldestMessage alarm must fire above !Ref OldestMessageAlarmSeconds, "
                        + "found " + alarm.get("ComparisonOperator") + " " + alarm.get("Threshold"));
            }
            if (!notifiesTopic(alarm)) {
                wrong.add("the ApproximateAgeOfOldestMessage alarm must notify DlqAlarmTopicArn");
            }
        }
        return wrong;
    }

    static List<String> workerErrorRate(Template t) {
        Optional<String> worker = t.functionWithHandler("worker");
        Optional<String> namespace = DashboardInvariants.metricsNamespace(t);
        List<String> wrong = new ArrayList<>();
        for (String id : t.ofType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> alarm = t.properties(id);
            List<Map<String, Object>> queries = list(alarm.get("Metrics")).stream().map(Template::map).toList();
            Optional<String> errors = query(queries, "AWS/Lambda", "Errors", worker);
            if (errors.isEmpty()) {
                continue;
            }
            Optional<String> invocations = query(queries, "AWS/Lambda", "Invocations", worker);
            Optional<String> failed = namespace.flatMap(n -> query(queries, n, "WindowsFailed", Optional.empty()));
            List<String> expressions = queries.stream().filter(q -> Boolean.TRUE.equals(q.get("ReturnData")))
                    .map(q -> String.valueOf(q.get("Expression"))).toList();
            String expression = expressions.size() == 1 ? expressions.get(0) : "";
            if (invocations.isEmpty() || failed.isEmpty() || !expression.contains(errors.get())
                    || !expression.contains(failed.get()) || !expression.contains("/ " + invocations.get())) {
                wrong.add(id + " must return one expression dividing the worker's Errors plus WindowsFailed (in "
                        + namespace.orElse("the functions' namespace") + ") by its Invocations, found " + expressions);
            }
            if (!"${WorkerErrorRateAlarmPercent}".equals(asSub(alarm.get("Threshold")))
                    || !"GreaterThanThreshold".equals(alarm.get("ComparisonOperator"))) {
                wrong.add(id + " must fire above !Ref WorkerErrorRateAlarmPercent, found "
                        + alarm.get("ComparisonOperator") + " " + alarm.get("Threshold"));
            }
            if (!notifiesTopic(alarm)) {
                wrong.add(id + " must notify DlqAlarmTopicArn");
            }
            return wrong;
        }
        return List.of("no alarm with metric math over the worker's (" + worker.orElse("?") + ") AWS/Lambda Errors");
    }

    /** The id of the query reading {@code namespace}/{@code name}, for the function when one is given. */
    private static Optional<String> query(List<Map<String, Object>> queries, String namespace, String name,
                                          Optional<String> function) {
        return queries.stream().filter(q -> {
            Map<String, Object> metric = map(map(q.get("MetricStat")).get("Metric"));
            boolean forFunction = function.isEmpty() || list(metric.get("Dimensions")).stream()
                    .anyMatch(d -> "FunctionName".equals(map(d).get("Name"))
                            && Template.ref(map(d).get("Value")).equals(function));
            return namespace.equals(asSub(metric.get("Namespace"))) && name.equals(metric.get("MetricName"))
                    && forFunction;
        }).map(q -> String.valueOf(q.get("Id"))).findFirst();
    }

    private static boolean notifiesTopic(Map<String, Object> alarm) {
        return String.valueOf(alarm.get("AlarmActions")).contains("DlqAlarmTopicArn");
    }
}
