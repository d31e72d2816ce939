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
        out.printf("  %-7s %-24s %s%n", "Lambda", stack.lambdaEndpoint(), DISPATCHER + " (1 process), "
                + WORKER + " (" + config.workerProcesses() + " processes, " + stack.runtime()
                + "), SQS mapping MaximumConcurrency " + config.maxConcurrency());
        out.printf("  %-7s %s%n", "logs", config.logDir().toAbsolutePath());
        out.println("  credentials test / test, region " + REGION);
    }
}
