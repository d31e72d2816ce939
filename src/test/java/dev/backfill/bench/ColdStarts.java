package dev.backfill.bench;

import dev.backfill.Json;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.ledger.WindowState;
import dev.backfill.local.LocalStack;
import dev.backfill.local.config.LocalNames;
import dev.backfill.local.config.LocalStackConfig;
import dev.backfill.local.demo.DemoStory;
import dev.backfill.local.lambda.Waits;
import dev.backfill.window.WindowRange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * {@code make coldstart}: Init Duration and first-invocation Duration of both functions, and the median of their
 * warm invocations, on the local stack, for the zip it runs ({@code BACKFILL_LOCAL_FUNCTION_ZIP}, JVM or native;
 * {@code BACKFILL_LOCAL_JAVA_TOOL_OPTIONS} for other JVM flags). One dispatcher and one worker process per round, each
 * round a fresh stack: the dispatcher plans a backfill of {@link #DAYS}, the worker runs its windows one after the
 * other. Durations are the REPORT lines' (event handed to the process until its answer). Prints numbers, asserts
 * nothing; on a shared machine compare runs made side by side.
 */
public final class ColdStarts {

    private static final WindowRange DAYS = WindowRange.of(LocalDate.of(2026, 4, 9), LocalDate.of(2026, 4, 15));
    private static final Pattern REPORT = Pattern.compile("^REPORT RequestId: \\S+\\tDuration: ([0-9.]+) ms.*?"
            + "(?:\\tMax Memory Used: (\\d+) MB)?(?:\\tInit Duration: ([0-9.]+) ms)?$");

    /** One function's figures of one round, in milliseconds (memory in MB). */
    record Figures(double init, double first, double warm, long memory) {
    }

    private ColdStarts() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BACKFILL_MAX_CONCURRENCY", "2");
        env.put("BACKFILL_LOCAL_WORKERS", "1");
        Map<String, List<Figures>> all = new HashMap<>();
        for (int round = 1; round <= rounds; round++) {
            LocalStackConfig config = LocalStackConfig.fromEnvironment(env).withFreePorts().withSeed(DAYS)
                    .withLogDir(Path.of("target", "coldstart", "round-" + round));
            Map<String, Figures> figures = round(config);
            figures.forEach((function, f) -> all.computeIfAbsent(function, k -> new ArrayList<>()).add(f));
            System.out.println("round " + round + ": " + figures);
        }
        System.out.printf(Locale.ROOT, "%nmedian of %d rounds (%s, %s):%n", rounds,
                env.getOrDefault("BACKFILL_LOCAL_FUNCTION_ZIP", "target/function.zip"),
                env.getOrDefault("BACKFILL_LOCAL_JAVA_TOOL_OPTIONS", "default JVM flags"));
        System.out.printf("  %-20s %12s %16s %12s %14s%n", "function", "init ms", "first call ms", "warm ms",
                "max memory MB");
        for (String function : List.of(LocalNames.DISPATCHER, LocalNames.WORKER)) {
            List<Figures> f = all.get(function);
            System.out.printf(Locale.ROOT, "  %-20s %12.0f %16.0f %12.0f %14d%n", function,
                    median(f.stream().map(Figures::init).toList()), median(f.stream().map(Figures::first).toList()),
                    median(f.stream().map(Figures::warm).toList()),
                    Math.round(median(f.stream().map(x -> (double) x.memory()).toList())));
        }
        System.exit(0);
    }

    private static Map<String, Figures> round(LocalStackConfig config) throws Exception {
        try (LocalStack stack = LocalStack.start(config); LambdaClient lambda = DemoStory.lambdaClient(stack)) {
            String request = "{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"" + DAYS.start()
                    + "\",\"end\":\"" + DAYS.end() + "\"}";
            String runId = null;
            for (int i = 0; i < DAYS.days(); i++) {
                String answer = lambda.invoke(r -> r.functionName(LocalNames.DISPATCHER)
                        .payload(SdkBytes.fromUtf8String(request))).payload().asUtf8String();
                runId = runId != null ? runId
                        : Json.read(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8), DispatchSummary.class)
                        .runId();
            }
            String first = runId;
            Waits.until(() -> stack.ledger().refresh().run(first).values().stream()
                    .filter(state -> state == WindowState.SUCCEEDED).count() == DAYS.days(), Duration.ofMinutes(3),
                    () -> "the run's windows did not succeed");
            // The REPORT lines are written off the runtime API's threads: give the last one a moment.
            Waits.until(() -> reports(config, LocalNames.WORKER).size() >= DAYS.days(), Duration.ofSeconds(10),
                    () -> "worker REPORT lines missing");
            Map<String, Figures> figures = new HashMap<>();
            for (String function : List.of(LocalNames.DISPATCHER, LocalNames.WORKER)) {
                figures.put(function, figures(reports(config, function)));
            }
            return figures;
        }
    }

    /** The REPORT lines of the function's only process, parsed: duration, memory, init duration. */
    private static List<Matcher> reports(LocalStackConfig config, String function) {
        try {
            return Files.readAllLines(config.logDir().resolve(function + "-1.log")).stream()
                    .map(REPORT::matcher).filter(Matcher::matches).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Figures figures(List<Matcher> reports) {
        Matcher first = reports.get(0);
        List<Double> warm = reports.stream().skip(1).map(m -> Double.parseDouble(m.group(1))).toList();
        long memory = reports.stream().filter(m -> m.group(2) != null).mapToLong(m -> Long.parseLong(m.group(2)))
                .max().orElse(0);
        return new Figures(Double.parseDouble(first.group(3)), Double.parseDouble(first.group(1)), median(warm),
                memory);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
}
