package dev.backfill.bench;

import dev.backfill.Json;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.local.lambda.FunctionSpec;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the packaged functions need to answer a first request for real on the embedded S3 and SQS: their
 * configuration, as the local stack sets it, and a first request each: the dispatcher a one-day backfill, the worker
 * an SQS event carrying one window whose input is there.
 */
final class FunctionFixture {

    static final String DISPATCHER = "dispatcher";
    static final String WORKER = "worker";
    private static final LocalDate DAY = LocalDate.of(2026, 1, 1);

    private final LocalServers servers;
    private final String bucket;
    private final String queueUrl;
    private final String deadLetterUrl;
    private final AtomicInteger requests = new AtomicInteger();

    FunctionFixture(LocalServers servers) {
        this.servers = servers;
        this.bucket = servers.newBucket("bench-cold-start");
        this.queueUrl = servers.newQueue("bench-cold-start");
        this.deadLetterUrl = servers.newQueue("bench-cold-start-dlq");
        DemoEventGenerator.standard().writeDays(new S3ObjectStore(servers.s3(), bucket), DAY, DAY.plusDays(1));
    }

    /** One process of the function {@code handler}, with {@code extra} over its environment. */
    FunctionSpec spec(String handler, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("QUARKUS_LAMBDA_HANDLER", handler);
        env.put("BACKFILL_BUCKET", bucket);
        env.put("BACKFILL_QUEUE_URL", queueUrl);
        env.put("BACKFILL_DLQ_URL", deadLetterUrl);
        env.put("BACKFILL_SQS_ENDPOINT_OVERRIDE", servers.sqsEndpoint());
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", servers.s3Endpoint());
        env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
        return new FunctionSpec("bench-" + handler, Duration.ofSeconds(120), 1024, 1, env);
    }

    /** A first request for {@code handler}; each is new work (a new run, a newer fence). */
    byte[] request(String handler) {
        int n = requests.incrementAndGet();
        if (handler.equals(DISPATCHER)) {
            return Json.write(Map.of("action", "backfill", "job", DailyEventCounts.NAME, "start", DAY.toString(),
                    "end", DAY.plusDays(1).toString()));
        }
        String body = WindowMessage.of("bench-cold-" + n, DailyEventCounts.NAME, Window.day(DAY, ZoneOffset.UTC), n)
                .toJson();
        return Json.write(Map.of("Records", List.of(Map.of("messageId", "bench-" + n, "receiptHandle",
                "bench-" + n, "body", body, "attributes", Map.of("ApproximateReceiveCount", "1"),
                "messageAttributes", Map.of(), "md5OfBody", "", "eventSource", "aws:sqs", "eventSourceARN",
                "arn:aws:sqs:us-east-1:000000000000:bench-cold-start", "awsRegion", "us-east-1"))));
    }

    /** Whether {@code answer} is the success of {@code handler}'s request: a run, or no failed window. */
    static boolean succeeded(String handler, String answer) {
        return handler.equals(DISPATCHER) ? answer.contains("\"enqueued\":1")
                : answer.replace(" ", "").contains("\"batchItemFailures\":[]");
    }
}
