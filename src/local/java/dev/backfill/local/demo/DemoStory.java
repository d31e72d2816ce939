package dev.backfill.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.ledger.WindowState;
import dev.backfill.local.LedgerView;
import dev.backfill.local.LocalStack;
import dev.backfill.local.config.LocalNames;
import dev.backfill.local.config.LocalStackConfig;
import dev.backfill.local.lambda.Waits;
import dev.backfill.ops.AnswerTables;
import dev.backfill.ops.ReportDownload;
import dev.backfill.ops.Watch;
import dev.backfill.window.WindowRange;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@code make demo}: the story of the seed. The daily schedule ran a buggy version of the job (refunds counted as
 * purchases) for three weeks; the bug is fixed; a staged 21-day backfill runs in parallel under the concurrency cap; a
 * report of the run (HTML with a chart per measure, and CSV) shows its days as they were just before it and as its
 * staged output has them; the run is published after its audit gates; readers see the corrected numbers.
 */
public final class DemoStory {

    static final String LOGIC = "BACKFILL_JOBS_DAILY_EVENT_COUNTS_LOGIC";
    /** The three weeks: 2026-04-09 .. 2026-04-29, the last day before the fix. */
    static final WindowRange WEEKS = WindowRange.of(LocalDate.parse("2026-04-09"), LocalDate.parse("2026-04-30"));
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    private final PrintStream out;

    public DemoStory(PrintStream out) {
        this.out = out;
    }

    /** Tells the story on a stack of its own; returns the exit code. */
    public int run(LocalStackConfig base) throws Exception {
        Instant begin = Instant.now();
        LocalStackConfig config = base.withWorkerEnvironment(Map.of(LOGIC, "REFUNDS_AS_PURCHASES"));
        out.println("Starting the local stack: " + config.functionZip() + " as separate processes ...");
        try (LocalStack stack = LocalStack.start(config)) {
            Thread stopOnSignal = new Thread(stack::close, "demo-stop");
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            Banner.print(stack, Duration.between(begin, Instant.now()), out);
            try (LambdaClient lambda = lambdaClient(stack)) {
                try (ProgressPrinter progress = ProgressPrinter.start(stack, out)) {
                    buggySchedule(stack, lambda);
                }
                fix(stack);
                plan(lambda);
                String runId = backfill(stack, lambda);
                report(lambda, runId);
                publish(lambda, runId);
            }
            whereToLook(stack);
            stack.close();
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
        }
        out.printf("Stack stopped; function processes left: %d. Demo wall time %.1f s (after the build).%n",
                ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count(),
                Duration.between(begin, Instant.now()).toMillis() / 1000.0);
        return 0;
    }

    /** (a) Three weeks of the daily schedule, one scheduled event per day, with the buggy worker. */
    private Instant buggySchedule(LocalStack stack, LambdaClient lambda) {
        chapter("1. Three weeks ago a bug shipped: the daily schedule counted refunds as purchases\n   ("
                + LOGIC + "=REFUNDS_AS_PURCHASES). Replaying the schedule, " + WEEKS.start() + " .. "
                + WEEKS.end().minusDays(1) + ":");
        List<String> runs = new ArrayList<>();
        for (LocalDate day = WEEKS.start(); day.isBefore(WEEKS.end()); day = day.plusDays(1)) {
            String scheduled = day.plusDays(1) + "T02:00:00Z";
            runs.add(runIdOf(invoke(lambda, "{\"scheduledTime\":\"" + scheduled + "\"}")));
        }
        awaitSucceeded(stack, runs);
        Instant before = Instant.now();
        out.println("   " + runs.size() + " scheduled runs succeeded; the reports read the table as of "
                + before.truncatedTo(ChronoUnit.MILLIS) + ".");
        return before;
    }

    /** (b) The fix ships: new worker processes with the fixed logic. */
    private void fix(LocalStack stack) throws IOException {
        Duration restart = stack.restartWorker(Map.of(LOGIC, "FIXED"));
        chapter(String.format("2. The bug is fixed (%s=FIXED): worker processes restarted in %.1f s.", LOGIC,
                restart.toMillis() / 1000.0));
    }

    /** (c) A dry run first: which windows would run, what the upstream holds for them, what it would cost. */
    private void plan(LambdaClient lambda) throws IOException {
        String request = request("plan");
        chapter("3. Plan the backfill first (a dry run: nothing is written or sent):\n   aws lambda invoke "
                + "--function-name " + LocalNames.DISPATCHER + " --payload '" + request + "'");
        String table = AnswerTables.render("plan", Json.mapper().readTree(invoke(lambda, request)));
        table.lines().takeWhile(line -> !line.startsWith("window ")).forEach(line -> out.println("   " + line));
    }

    /** (d) The 21-day backfill through the Invoke API, in parallel under the cap, watched through status. */
    private String backfill(LocalStack stack, LambdaClient lambda) {
        String request = request("backfill").replace("}", ",\"publish\":\"staged\"}");
        chapter("4. Backfill, staged (readers see nothing until it is published), MaximumConcurrency "
                + stack.config().maxConcurrency() + ":\n   aws lambda invoke "
                + "--function-name " + LocalNames.DISPATCHER + " --payload '" + request + "'");
        stack.resetPeakConcurrency();
        Instant start = Instant.now();
        String answer = invoke(lambda, request);
        out.println("   -> " + answer);
        JsonNode status = watch(lambda, runIdOf(answer));
        out.printf("   %d windows %s in %.1f s; peak concurrency %d (cap %d).%n", status.path("windows").asInt(),
                status.path("state").asText(), Duration.between(start, Instant.now()).toMillis() / 1000.0,
                stack.peakConcurrency(), stack.config().maxConcurrency());
        return runIdOf(answer);
    }

    /**
     * (e) The run's report: its days as the table was just before the run and as it is now, per measure and key,
     * written beside the run (HTML with a chart per measure, and CSV) and downloaded through its signed URLs.
     */
    private void report(LambdaClient lambda, String runId) throws IOException, InterruptedException {
        String request = "{\"action\":\"report\",\"runId\":\"" + runId + "\"}";
        chapter("5. What publishing would change: the run's report (its days as of just before the run, and its "
                + "staged output):\n"
                + "   aws lambda invoke --function-name " + LocalNames.DISPATCHER + " --payload '" + request + "'");
        JsonNode answer = readTree(invoke(lambda, request));
        AnswerTables.render("report", answer).lines().forEach(line -> out.println("   " + line));
        Path html = ReportDownload.save(answer, Path.of("target", "reports"), true);
        out.println("   Open it: file://" + html);
    }

    /**
     * (f) Publish: the audit gates checked, each staged window made current with a conditional write; then the numbers
     * readers now see, through {@code read}.
     */
    private void publish(LambdaClient lambda, String runId) throws IOException {
        String request = "{\"action\":\"publish\",\"runId\":\"" + runId + "\"}";
        chapter("6. Publish (audit gates first; a day changed since it was staged would be a conflict):\n"
                + "   aws lambda invoke --function-name " + LocalNames.DISPATCHER + " --payload '" + request + "'");
        InvokeResponse refused = lambda.invoke(r -> r.functionName(LocalNames.DISPATCHER)
                .payload(SdkBytes.fromUtf8String(request)));
        if (refused.functionError() == null) {
            throw new IllegalStateException("The audit gates let a run through that adds a row to every day: "
                    + refused.payload().asUtf8String());
        }
        String message = readTree(refused.payload().asUtf8String()).path("errorMessage").asText();
        out.println("   refused: " + message.substring(0, message.indexOf("; 2026-04-10")) + "; …");
        String relaxed = request.replace("}", ",\"gates\":{\"maxRowChangePct\":50}}");
        out.println("   The fix adds a refund row to each day (3 rows -> 4): expected, so the row gate is relaxed, the "
                + "measure gates stay:\n   aws lambda invoke --function-name " + LocalNames.DISPATCHER
                + " --payload '" + relaxed + "'");
        AnswerTables.render("publish", readTree(invoke(lambda, relaxed))).lines()
                .forEach(line -> out.println("   " + line));
        String day = WEEKS.end().minusDays(1).toString();
        String read = "{\"action\":\"read\",\"table\":\"daily_event_counts\",\"day\":\"" + day + "\"}";
        chapter("7. What readers see now (" + day + ", the last day of the backfill):\n"
                + "   aws lambda invoke --function-name " + LocalNames.DISPATCHER + " --payload '" + read + "'");
        AnswerTables.render("read", readTree(invoke(lambda, read))).lines().forEach(line -> out.println("   " + line));
    }

    /** Polls {@code status} as {@code make watch} does, printing the progress bar until the run ends. */
    private JsonNode watch(LambdaClient lambda, String runId) {
        String request = "{\"action\":\"status\",\"runId\":\"" + runId + "\"}";
        AtomicReference<JsonNode> status = new AtomicReference<>();
        AtomicReference<String> shown = new AtomicReference<>("");
        Waits.until(() -> {
            status.set(readTree(invoke(lambda, request)));
            String line = Watch.line(status.get()).strip();
            if (!line.equals(shown.getAndSet(line))) {
                out.println("   " + line);
            }
            String state = status.get().path("state").asText();
            return !state.equals("queued") && !state.equals("running");
        }, RUN_TIMEOUT, () -> "Run " + runId + " did not end: " + shown.get());
        String state = status.get().path("state").asText();
        if (!state.equals("succeeded") && !state.equals("staged")) {
            throw new IllegalStateException("Run " + runId + " ended " + shown.get());
        }
        return status.get();
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("The dispatcher answered no JSON: " + json, e);
        }
    }

    private static String request(String action) {
        return "{\"action\":\"" + action + "\",\"job\":\"daily_event_counts\",\"start\":\"" + WEEKS.start()
                + "\",\"end\":\"" + WEEKS.end() + "\"}";
    }

    private void whereToLook(LocalStack stack) {
        chapter("Where to look (while `make local` runs; this demo's stack stops now):");
        out.println("   aws --endpoint-url " + stack.s3Endpoint() + " s3 ls --recursive s3://" + LocalNames.BUCKET
                + "/tables/daily_event_counts/");
        out.println("   aws --endpoint-url " + stack.s3Endpoint() + " s3api list-object-versions --bucket "
                + LocalNames.BUCKET + " --prefix tables/daily_event_counts/dt=2026-04-09/_manifest.json");
        out.println("   aws --endpoint-url " + stack.s3Endpoint() + " s3 ls --recursive s3://" + LocalNames.BUCKET
                + "/_backfill/runs/");
        out.println("   function logs: " + stack.config().logDir().toAbsolutePath());
    }

    private void awaitSucceeded(LocalStack stack, List<String> runIds) {
        Waits.until(() -> {
            LedgerView.Snapshot ledger = stack.ledger().refresh();
            return runIds.stream().map(ledger::run).allMatch(windows -> !windows.isEmpty()
                    && windows.values().stream().allMatch(state -> state == WindowState.SUCCEEDED));
        }, RUN_TIMEOUT, () -> "Runs did not succeed: " + ProgressPrinter.describe(stack));
    }

    private String invoke(LambdaClient lambda, String payload) {
        InvokeResponse response = lambda.invoke(r -> r.functionName(LocalNames.DISPATCHER)
                .payload(SdkBytes.fromUtf8String(payload)));
        String body = response.payload().asUtf8String();
        if (response.functionError() != null) {
            throw new IllegalStateException("The dispatcher refused " + payload + ": " + body);
        }
        return body;
    }

    private static String runIdOf(String summary) {
        return Json.read(summary.getBytes(StandardCharsets.UTF_8), DispatchSummary.class).runId();
    }

    private void chapter(String text) {
        out.println();
        out.println(text);
    }

    public static LambdaClient lambdaClient(LocalStack stack) {
        return LambdaClient.builder().endpointOverride(stack.lambdaEndpoint()).region(Region.of(LocalNames.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalNames.ACCESS_KEY, LocalNames.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(6)).build())
                .build();
    }
}
