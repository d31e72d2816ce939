package dev.backfill.local;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of the local stack: {@code make local} (no argument) runs it in the foreground until Ctrl-C or
 * SIGTERM, printing progress; {@code make demo} ({@code demo}) tells the demo story and stops.
 */
final class LocalStackCommand {

    private LocalStackCommand() {
    }

    /** Returns the process exit code. */
    static int run(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 1 && args[0].equals("demo")) {
            return new DemoStory(out).run(LocalStackConfig.fromEnvironment(System.getenv()));
        }
        if (args.length > 0) {
            System.err.println("Usage: LocalStack [demo]   (configuration: BACKFILL_LOCAL_* environment variables)");
            return 2;
        }
        return runUntilStopped(LocalStackConfig.fromEnvironment(System.getenv()), out);
    }

    private static int runUntilStopped(LocalStackConfig config, PrintStream out) throws Exception {
        Instant begin = Instant.now();
        out.println("Starting the local stack (" + config.functionZip() + ") ...");
        LocalStack stack = LocalStack.start(config);
        ProgressPrinter progress = ProgressPrinter.start(stack, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            progress.close();
            stack.close();
            out.println("Local stack stopped: function processes ended, ports freed.");
            stopped.countDown();
        }, "local-stack-stop"));
        printEndpoints(stack, Duration.between(begin, Instant.now()), out);
        printTryThis(stack, out);
        stopped.await();
        return 0;
    }

    /** What runs where. */
    static void printEndpoints(LocalStack stack, Duration startup, PrintStream out) {
        LocalStackConfig config = stack.config();
        out.printf("%nbackfill local stack ready in %.1f s (worker processes started in %.1f s) — 127.0.0.1 only%n",
                startup.toMillis() / 1000.0, stack.workerStartup().toMillis() / 1000.0);
        out.printf("  %-7s %-24s %s%n", "S3", stack.s3Endpoint(), "bucket " + LocalStack.BUCKET
                + " (versioning on)" + (stack.seededDays() > 0 ? ", demo input for " + stack.seededDays()
                + " days " + config.seed().map(r -> r.start() + " .. " + r.end().minusDays(1)).orElse("") : ""));
        out.printf("  %-7s %-24s %s%n", "SQS", stack.sqsEndpoint(), "queue " + LocalStack.WORK_QUEUE
                + " (visibility " + config.visibilityTimeout().toSeconds() + " s), DLQ " + LocalStack.DEAD_LETTER_QUEUE
                + " after " + LocalResources.MAX_RECEIVE_COUNT + " receives");
        out.printf("  %-7s %-24s %s%n", "Lambda", stack.lambdaEndpoint(), LocalStack.DISPATCHER + " (1 process), "
                + LocalStack.WORKER + " (" + config.workerProcesses() + " processes, " + stack.runtime()
                + "), SQS mapping MaximumConcurrency " + config.maxConcurrency());
        out.printf("  %-7s %s%n", "logs", config.logDir().toAbsolutePath());
        out.println("  credentials test / test, region " + LocalStack.REGION);
    }

    private static void printTryThis(LocalStack stack, PrintStream out) {
        out.println();
        out.println("In another shell (AWS CLI v2: add --cli-binary-format raw-in-base64-out):");
        out.println("  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION="
                + LocalStack.REGION);
        out.println("  aws --endpoint-url " + stack.lambdaEndpoint() + " lambda invoke --function-name "
                + LocalStack.DISPATCHER + " \\");
        out.println("      --payload '{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-09\","
                + "\"end\":\"2026-04-30\"}' out.json");
        out.println("  aws --endpoint-url " + stack.s3Endpoint() + " s3 ls --recursive s3://" + LocalStack.BUCKET
                + "/tables/daily_event_counts/");
        out.println("Ctrl-C stops everything.");
        out.println();
    }
}
