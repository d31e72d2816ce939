package dev.backfill.local.config;

import dev.backfill.window.WindowRange;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How the local stack runs. From the environment ({@link #fromEnvironment}):
 * <pre>
 * BACKFILL_LOCAL_S3_PORT      9000    S3 endpoint port (0: any free port)
 * BACKFILL_LOCAL_SQS_PORT     9324    SQS endpoint port
 * BACKFILL_LOCAL_LAMBDA_PORT  3001    Lambda Invoke API port
 * BACKFILL_MAX_CONCURRENCY    4       the event source mapping's MaximumConcurrency, 2-1000
 * BACKFILL_LOCAL_BATCH_SIZE   1       the event source mapping's BatchSize, 1-10
 * BACKFILL_LOCAL_WORKERS      min(MaximumConcurrency, 8)   worker processes, 1-1000; above the cap, the extra
 *                                                          ones idle (the mapping keeps to its cap)
 * BACKFILL_LOCAL_WORKER_TIMEOUT_SECONDS  60   worker timeout
 * BACKFILL_LOCAL_VISIBILITY_TIMEOUT_SECONDS   6 x the worker timeout   the work queue's visibility timeout;
 *                                             at least the worker timeout, as Lambda requires of a mapping's queue
 * BACKFILL_LOCAL_SEED         true    load demo input for 2026-01-01 .. 2026-06-30
 * BACKFILL_LOCAL_FUNCTION_ZIP target/function.zip
 * BACKFILL_LOCAL_LOG_DIR      target/local-stack/logs   one log file per function process
 * BACKFILL_LOCAL_JAVA_TOOL_OPTIONS   (none)   the JVM functions' JAVA_TOOL_OPTIONS; replaces the runtime's
 *                                             default of C1 only (-XX:TieredStopAtLevel=1)
 * </pre>
 * Every other {@code BACKFILL_*} variable (say {@code BACKFILL_JOBS_DAILY_EVENT_COUNTS_LOGIC}) is passed on to both
 * functions, over the local defaults ({@code BACKFILL_RETRY_BASE_DELAY=2s}).
 *
 * @param functionEnvironment extra environment of both functions
 * @param workerEnvironment   extra environment of the worker only, over {@code functionEnvironment}
 */
public record LocalStackConfig(
        int s3Port,
        int sqsPort,
        int lambdaPort,
        int maxConcurrency,
        int batchSize,
        int workerProcesses,
        Duration workerTimeout,
        Duration visibilityTimeout,
        Optional<WindowRange> seed,
        Path functionZip,
        Path logDir,
        Map<String, String> functionEnvironment,
        Map<String, String> workerEnvironment) {

    /** The demo input: every day of the first half of 2026. */
    public static final WindowRange DEMO_INPUT = WindowRange.of(LocalDate.parse("2026-01-01"),
            LocalDate.parse("2026-07-01"));
    /** Lambda's limits for an SQS event source mapping's MaximumConcurrency (ScalingConfig). */
    public static final int MIN_CONCURRENCY = 2;
    public static final int MAX_CONCURRENCY = 1000;
    private static final String LOCAL_PREFIX = "BACKFILL_LOCAL_";
    private static final String CONCURRENCY = "BACKFILL_MAX_CONCURRENCY";

    public LocalStackConfig {
        Objects.requireNonNull(workerTimeout, "workerTimeout");
        Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(functionZip, "functionZip");
        Objects.requireNonNull(logDir, "logDir");
        functionEnvironment = Map.copyOf(functionEnvironment);
        workerEnvironment = Map.copyOf(workerEnvironment);
        if (maxConcurrency < MIN_CONCURRENCY || maxConcurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("MaximumConcurrency must be between " + MIN_CONCURRENCY + " and "
                    + MAX_CONCURRENCY + " (AWS Lambda ScalingConfig), got " + maxConcurrency);
        }
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("Batch size must be 1 to 10 here (one ReceiveMessage), got "
                    + batchSize);
        }
        // More processes than the cap is allowed, as Lambda may keep more execution environments warm than a
        // mapping uses: the mapping, not the process count, must keep invocations under the cap.
        if (workerProcesses < 1 || workerProcesses > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("Worker processes must be between 1 and " + MAX_CONCURRENCY
                    + ", got " + workerProcesses);
        }
        if (workerTimeout.toSeconds() < 1 || workerTimeout.toSeconds() > 900) {
            throw new IllegalArgumentException("Worker timeout must be 1 to 900 seconds (Lambda's limit), got "
                    + workerTimeout.toSeconds());
        }
        if (visibilityTimeout.compareTo(workerTimeout) < 0 || visibilityTimeout.toSeconds() > 43_200) {
            // Lambda refuses an SQS event source whose queue's visibility timeout is below the function's timeout:
            // a message would come back while its invocation still runs.
            throw new IllegalArgumentException("Visibility timeout must be between the worker timeout ("
                    + workerTimeout.toSeconds() + " s) and 12 hours, got " + visibilityTimeout.toSeconds() + " s");
        }
    }

    /** The defaults of {@code make local}: fixed ports, concurrency 4, demo input loaded. */
    public static LocalStackConfig defaults() {
        return fromEnvironment(Map.of());
    }

    /** Reads the variables listed above; unknown values fail with the variable's name. */
    public static LocalStackConfig fromEnvironment(Map<String, String> env) {
        int concurrency = integer(env, CONCURRENCY, 4);
        Map<String, String> passed = new TreeMap<>(Map.of("BACKFILL_RETRY_BASE_DELAY", "2s"));
        env.forEach((name, value) -> {
            if (name.startsWith("BACKFILL_") && !name.startsWith(LOCAL_PREFIX) && !name.equals(CONCURRENCY)) {
                passed.put(name, value);
            }
        });
        String javaToolOptions = env.get(LOCAL_PREFIX + "JAVA_TOOL_OPTIONS");
        if (javaToolOptions != null && !javaToolOptions.isBlank()) {
            passed.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        // 6 times the timeout, as AWS advises for a queue behind a Lambda function and infra/ does.
        Duration timeout = Duration.ofSeconds(integer(env, LOCAL_PREFIX + "WORKER_TIMEOUT_SECONDS", 60));
        boolean seeded = !"false".equalsIgnoreCase(env.getOrDefault(LOCAL_PREFIX + "SEED", "true"));
        return new LocalStackConfig(
                integer(env, LOCAL_PREFIX + "S3_PORT", 9000),
                integer(env, LOCAL_PREFIX + "SQS_PORT", 9324),
                integer(env, LOCAL_PREFIX + "LAMBDA_PORT", 3001),
                concurrency,
                integer(env, LOCAL_PREFIX + "BATCH_SIZE", 1),
                integer(env, LOCAL_PREFIX + "WORKERS", Math.min(concurrency, 8)),
                timeout,
                Duration.ofSeconds(integer(env, LOCAL_PREFIX + "VISIBILITY_TIMEOUT_SECONDS",
                        (int) timeout.multipliedBy(6).toSeconds())),
                seeded ? Optional.of(DEMO_INPUT) : Optional.empty(),
                Path.of(env.getOrDefault(LOCAL_PREFIX + "FUNCTION_ZIP", "target/function.zip")),
                Path.of(env.getOrDefault(LOCAL_PREFIX + "LOG_DIR", "target/local-stack/logs")),
                passed,
                Map.of());
    }

    /** Any free ports, as tests want them. */
    public LocalStackConfig withFreePorts() {
        return new LocalStackConfig(0, 0, 0, maxConcurrency, batchSize, workerProcesses, workerTimeout,
                visibilityTimeout, seed, functionZip, logDir, functionEnvironment, workerEnvironment);
    }

    /** Loads demo input for the days of {@code days} only. */
    public LocalStackConfig withSeed(WindowRange days) {
        return new LocalStackConfig(s3Port, sqsPort, lambdaPort, maxConcurrency, batchSize, workerProcesses, 
                workerTimeout, visibilityTimeout, Optional.of(days), functionZip, logDir, functionEnvironment,
                workerEnvironment);
    }

    /** Sets the worker's environment over the common one, e.g. the job's logic. */
    public LocalStackConfig withWorkerEnvironment(Map<String, String> environment) {
        return new LocalStackConfig(s3Port, sqsPort, lambdaPort, maxConcurrency, batchSize, workerProcesses, 
                workerTimeout, visibilityTimeout, seed, functionZip, logDir, functionEnvironment,
                environment);
    }

    public LocalStackConfig withLogDir(Path directory) {
        return new LocalStackConfig(s3Port, sqsPort, lambdaPort, maxConcurrency, batchSize, workerProcesses, 
                workerTimeout, visibilityTimeout, seed, functionZip, directory, functionEnvironment,
                workerEnvironment);
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
        }
    }
}
