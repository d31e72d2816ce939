package dev.backfill.local;

import static dev.backfill.local.config.LocalNames.BUCKET;
import static dev.backfill.local.config.LocalNames.DISPATCHER;
import static dev.backfill.local.config.LocalNames.REGION;

import dev.backfill.local.config.LocalStackConfig;
import dev.backfill.local.demo.Banner;
import dev.backfill.local.demo.DemoStory;
import dev.backfill.local.demo.ProgressPrinter;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * The command line of the local stack: {@code make local} (no argument) runs it in the foreground until Ctrl-C or
 * SIGTERM, printing progress; {@code make demo} ({@code demo}) tells the demo story and stops.
 */
public final class LocalStackCommand {

    private LocalStackCommand() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Returns the process exit code. */
    static int run(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args.length == 1 && args[0].equals("demo")) {
            return new DemoStory(out).run(LocalStackConfig.fromEnvironment(System.getenv()));
        }
        if (args.length > 0) {
            System.err.println("Usage: LocalStackCommand [demo]   (configuration: BACKFILL_LOCAL_* environment "
                    + "variables)");
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
        Banner.print(stack, Duration.between(begin, Instant.now()), out);
        printTryThis(stack, out);
        stopped.await();
        return 0;
    }

    private static void printTryThis(LocalStack stack, PrintStream out) {
        out.println();
        out.println("In another shell (AWS CLI v2: add --cli-binary-format raw-in-base64-out):");
        out.println("  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION="
                + REGION);
        out.println("  aws --endpoint-url " + stack.lambdaEndpoint() + " lambda invoke --function-name "
                + DISPATCHER + " \\");
        out.println("      --payload '{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"2026-04-09\","
                + "\"end\":\"2026-04-30\"}' out.json");
        out.println("  aws --endpoint-url " + stack.s3Endpoint() + " s3 ls --recursive s3://" + BUCKET
                + "/tables/daily_event_counts/");
        out.println("Ctrl-C stops everything.");
        out.println();
    }
}
