package dev.backfill.local.demo;

import static dev.backfill.local.config.LocalNames.BUCKET;
import static dev.backfill.local.config.LocalNames.DEAD_LETTER_QUEUE;
import static dev.backfill.local.config.LocalNames.DISPATCHER;
import static dev.backfill.local.config.LocalNames.REGION;
import static dev.backfill.local.config.LocalNames.WORKER;
import static dev.backfill.local.config.LocalNames.WORK_QUEUE;

import dev.backfill.local.LocalStack;
import dev.backfill.local.aws.LocalResources;
import dev.backfill.local.config.LocalStackConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What runs where: the lines {@code make local} and {@code make demo} print once the stack is up. */
public final class Banner {

    private Banner() {
    }

    /** Prints the endpoints, the bucket, the queues, the functions and where their logs are. */
    public static void print(LocalStack stack, Duration startup, PrintStream out) {
        LocalStackConfig config = stack.config();
        out.printf("%nbackfill local stack ready in %.1f s (worker processes started in %.1f s) — 127.0.0.1 only%n",
                startup.toMillis() / 1000.0, stack.workerStartup().toMillis() / 1000.0);
        out.printf("  %-7s %-24s %s%n", "S3", stack.s3Endpoint(), "bucket " + BUCKET
                + " (versioning on)" + (stack.seededDays() > 0 ? ", demo input for " + stack.seededDays()
                + " days " + config.seed().map(r -> r.start() + " .. " + r.end().minusDays(1)).orElse("") : ""));
        out.printf("  %-7s %-24s %s%n", "SQS", stack.sqsEndpoint(), "queue " + WORK_QUEUE
                + " (visibility " + config.visibilityTimeout().toSeconds() + " s), DLQ " + DEAD_LETTER_QUEUE
                + " after " + LocalResources.MAX_RECEIVE_COUNT + " receives");
        out.printf("  %-7s %-24s %s%n", "API", stack.upstream().baseUrl(), "orders API of api_daily_snapshot: "
                + "GET /v1/orders, serves days since " + stack.upstream().oldestServed() + ", 429 above its rate");
        out.printf("  %-7s %-24s %s%n", "Lambda", stack.lambdaEndpoint(), DISPATCHER + " (1 process), "
                + WORKER + " (" + config.workerProcesses() + " processes, " + stack.runtime()
                + "), SQS mapping MaximumConcurrency " + config.maxConcurrency());
        out.printf("  %-7s %s%n", "init", initDurations(stack.initDurations()));
        out.printf("  %-7s %s%n", "logs", config.logDir().toAbsolutePath()
                + " (INIT_REPORT and REPORT lines as Lambda writes them)");
        out.println("  credentials test / test, region " + REGION);
    }

    /** {@code backfill-dispatcher 812 ms, backfill-worker 790-905 ms (4 processes)}: Lambda's Init Duration. */
    static String initDurations(Map<String, List<Duration>> byFunction) {
        StringBuilder line = new StringBuilder("Init Duration (process start to ready): ");
        String separator = "";
        for (Map.Entry<String, List<Duration>> function : byFunction.entrySet()) {
            List<Long> millis = function.getValue().stream().map(Duration::toMillis).sorted().toList();
            line.append(separator).append(function.getKey()).append(' ');
            if (millis.isEmpty()) {
                line.append("not ready");
            } else if (millis.size() == 1) {
                line.append(millis.get(0)).append(" ms");
            } else {
                line.append(String.format(Locale.ROOT, "%d-%d ms (%d processes)", millis.get(0),
                        millis.get(millis.size() - 1), millis.size()));
            }
            separator = ", ";
        }
        return line.toString();
    }
}
