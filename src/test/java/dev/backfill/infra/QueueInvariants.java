package dev.backfill.infra;

import static dev.backfill.infra.Template.environment;
import static dev.backfill.infra.Template.getAtt;
import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;
import static dev.backfill.infra.Template.ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The work queue and the worker's event source mapping: an explicit mapping with the concurrency cap from the
 * parameter, one window per invocation, partial batch failures, enough visibility, a dead-letter queue and its alarm.
 */
final class QueueInvariants {

    private QueueInvariants() {
    }

    static List<String> explicitEventSourceMapping(Template t) {
        List<String> wrong = new ArrayList<>();
        for (String id : t.ofType(Template.SERVERLESS_FUNCTION)) {
            map(t.properties(id).get("Events")).forEach((name, event) -> {
                if ("SQS".equals(map(event).get("Type"))) {
                    wrong.add(id + " has SAM event " + name + " of type SQS, whose policy allows every queue");
                }
            });
        }
        Optional<String> worker = t.functionWithHandler("worker");
        List<String> mappings = workerMappings(t);
        if (worker.isEmpty() || mappings.size() != 1) {
            wrong.add("expected one AWS::Lambda::EventSourceMapping to the worker function " + worker.orElse("(none)")
                    + ", found " + mappings);
        } else if (workQueue(t).isEmpty()) {
            wrong.add(mappings.get(0) + " must read an AWS::SQS::Queue of this template, found EventSourceArn "
                    + t.properties(mappings.get(0)).get("EventSourceArn"));
        }
        return wrong;
    }

    static List<String> mappingConcurrencyFromParameter(Template t) {
        List<String> wrong = new ArrayList<>();
        for (String id : workerMappings(t)) {
            Object concurrency = map(t.properties(id).get("ScalingConfig")).get("MaximumConcurrency");
            if (!ref(concurrency).equals(Optional.of("MaxConcurrency"))) {
                wrong.add(id + " ScalingConfig.MaximumConcurrency must be !Ref MaxConcurrency, found " + concurrency);
            }
        }
        Map<String, Object> parameter = map(t.section("Parameters").get("MaxConcurrency"));
        if (!"Number".equals(parameter.get("Type")) || !Objects.equals(parameter.get("MinValue"), 2)
                || !Objects.equals(parameter.get("MaxValue"), 1000)) {
            wrong.add("parameter MaxConcurrency must be a Number from 2 to 1000 (the mapping's limits), found "
                    + parameter);
        }
        return wrong;
    }

    static List<String> oneWindowPerInvocation(Template t) {
        return workerMappings(t).stream().filter(id -> !Objects.equals(t.properties(id).get("BatchSize"), 1))
                .map(id -> id + " BatchSize must be 1, found " + t.properties(id).get("BatchSize")).toList();
    }

    static List<String> reportBatchItemFailures(Template t) {
        return workerMappings(t).stream()
                .filter(id -> !list(t.properties(id).get("FunctionResponseTypes")).contains("ReportBatchItemFailures"))
                .map(id -> id + " FunctionResponseTypes must contain ReportBatchItemFailures, found "
                        + t.properties(id).get("FunctionResponseTypes"))
                .toList();
    }

    static List<String> visibilityAtLeastSixTimesTimeout(Template t) {
        Optional<String> worker = t.functionWithHandler("worker");
        Optional<String> queue = workQueue(t);
        if (worker.isEmpty() || queue.isEmpty()) {
            return List.of("no worker function reading a work queue");
        }
        return QueueTimeouts.check(t, worker.get(), queue.get());
    }

    static List<String> redriveToDeadLetterQueue(Template t) {
        Optional<String> queue = workQueue(t);
        if (queue.isEmpty()) {
            return List.of("no work queue");
        }
        Map<String, Object> redrive = map(t.properties(queue.get()).get("RedrivePolicy"));
        Optional<String> dlq = deadLetterQueue(t);
        Object maxReceiveCount = redrive.get("maxReceiveCount");
        List<String> wrong = new ArrayList<>();
        if (dlq.isEmpty() || dlq.get().equals(queue.get()) || !"AWS::SQS::Queue".equals(t.type(dlq.get()))) {
            wrong.add(queue.get() + " RedrivePolicy.deadLetterTargetArn must be another queue's Arn, found " + redrive);
        }
        boolean fromLateness = map(maxReceiveCount).containsKey("Fn::FindInMap");
        if (!fromLateness && (!(maxReceiveCount instanceof Integer count) || count < 1 || count > 1000)) {
            wrong.add(queue.get() + " RedrivePolicy.maxReceiveCount must be 1..1000 or from the LatenessReceives "
                    + "mapping, found " + maxReceiveCount);
        }
        Optional<String> worker = t.functionWithHandler("worker");
        Object told = worker.map(id -> environment(t.function(id)).get("BACKFILL_RETRY_MAX_RECEIVE_COUNT")).orElse(null);
        if (worker.isPresent() && !Objects.equals(told, maxReceiveCount)) {
            // Told fewer deliveries, the worker gives up finishing a cleanup early; told more, it asks for a
            // delivery the queue turns into a dead letter: a committed window in the DLQ, with its alarm.
            wrong.add(worker.get() + " BACKFILL_RETRY_MAX_RECEIVE_COUNT must be " + queue.get()
                    + "'s RedrivePolicy.maxReceiveCount " + maxReceiveCount + ", found " + told);
        }
        return wrong;
    }

    static List<String> deadLetterDepthAlarm(Template t) {
        Optional<String> dlq = deadLetterQueue(t);
        boolean alarmed = dlq.isPresent() && t.ofType("AWS::CloudWatch::Alarm").stream().map(t::properties)
                .anyMatch(alarm -> "AWS/SQS".equals(alarm.get("Namespace"))
                        && "ApproximateNumberOfMessagesVisible".equals(alarm.get("MetricName"))
                        && list(alarm.get("Dimensions")).stream().anyMatch(d -> "QueueName".equals(map(d).get("Name"))
                                && getAtt(map(d).get("Value"), "QueueName").equals(dlq))
                        && Objects.equals(alarm.get("Threshold"), 0)
                        && "GreaterThanThreshold".equals(alarm.get("ComparisonOperator"))
                        && String.valueOf(alarm.get("AlarmActions")).contains("DlqAlarmTopicArn"));
        return alarmed ? List.of() : List.of("no alarm on " + dlq.orElse("the dead-letter queue")
                + " ApproximateNumberOfMessagesVisible > 0 notifying DlqAlarmTopicArn");
    }

    /** The event source mappings that invoke the worker function. */
    static List<String> workerMappings(Template t) {
        Optional<String> worker = t.functionWithHandler("worker");
        return t.ofType("AWS::Lambda::EventSourceMapping").stream()
                .filter(id -> worker.isPresent()
                        && Template.invokes(t.properties(id).get("FunctionName"), worker.get()))
                .toList();
    }

    /** The queue the worker's event source mapping reads. */
    static Optional<String> workQueue(Template t) {
        return workerMappings(t).stream().findFirst()
                .flatMap(id -> getAtt(t.properties(id).get("EventSourceArn"), "Arn"))
                .filter(t::hasResource);
    }

    /** The work queue's dead-letter queue. */
    static Optional<String> deadLetterQueue(Template t) {
        return workQueue(t).flatMap(queue -> getAtt(
                map(t.properties(queue).get("RedrivePolicy")).get("deadLetterTargetArn"), "Arn"))
                .filter(t::hasResource);
    }
}
