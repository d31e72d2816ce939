package dev.backfill.local.lambda;

import dev.backfill.local.config.LocalNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One execution environment of a function: a child process running the function zip against the function's runtime
 * API, with a clean environment like Lambda's (the reserved variables plus the function's own), its output appended
 * to a log file. Like Lambda, it adds to that log an {@code INIT_REPORT} line when the process first polls for an
 * event (its Init Duration: process start to ready) and a {@code REPORT} line per invocation, the first one carrying
 * the Init Duration.
 */
public final class LambdaFunctionProcess implements AutoCloseable {

    private final Process process;
    private final int id;
    private final int index;
    private final Path log;
    private final int memoryMb;
    private final long startedNanos;
    private volatile Duration initDuration;
    private boolean initReported;

    private LambdaFunctionProcess(Process process, int id, int index, Path log, int memoryMb, long startedNanos) {
        this.process = process;
        this.id = id;
        this.index = index;
        this.log = log;
        this.memoryMb = memoryMb;
        this.startedNanos = startedNanos;
    }

    /**
     * @param id    the process's number at the runtime API server, unique for the function
     * @param index its place among the function's processes, 1 for the first: names its log file and log stream
     */
    static LambdaFunctionProcess start(FunctionArtifact artifact, FunctionSpec spec, String runtimeApi, int id,
                                       int index, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(spec.name() + "-" + index + ".log");
        ProcessBuilder builder = new ProcessBuilder(artifact.command(spec.environment()))
                .directory(artifact.taskRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(reservedEnvironment(artifact, spec, runtimeApi, index));
        env.putAll(spec.environment());
        // Standard input stays an open pipe: the process's guard ends it when the pipe closes.
        long started = System.nanoTime();
        return new LambdaFunctionProcess(builder.start(), id, index, log, spec.memoryMb(), started);
    }

    /** Each start begins fresh logs; a restart of the worker appends to them. */
    public static void clearLogs(Path logDir) throws IOException {
        if (!Files.isDirectory(logDir)) {
            return;
        }
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(logDir, "backfill-*.log")) {
            for (Path log : logs) {
                Files.delete(log);
            }
        }
    }

    /** What Lambda sets for every function (Lambda Developer Guide, "Defined runtime environment variables"). */
    private static Map<String, String> reservedEnvironment(FunctionArtifact artifact, FunctionSpec spec,
                                                           String runtimeApi, int index) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", "UTC");
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("LAMBDA_TASK_ROOT", artifact.taskRoot().toString());
        env.put("_HANDLER", FunctionArtifact.QUARKUS_HANDLER);
        env.put("AWS_EXECUTION_ENV", artifact.runtime() == FunctionArtifact.Runtime.JAVA21
                ? "AWS_Lambda_java21" : "AWS_Lambda_provided.al2023");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_FUNCTION_NAME", spec.name());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(spec.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + spec.name());
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local/" + spec.name() + "-" + index);
        env.put("AWS_REGION", LocalNames.REGION);
        env.put("AWS_DEFAULT_REGION", LocalNames.REGION);
        env.put("AWS_ACCESS_KEY_ID", LocalNames.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", LocalNames.SECRET_KEY);
        // Never look for an EC2 instance role: region and credentials come from the environment.
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    int id() {
        return id;
    }

    /** Its place among the function's processes; a replacement takes the place (and log) of the one it replaces. */
    int index() {
        return index;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The function's own process id, for a test or the chaos run that kills or freezes it as a crash would: the
     * runtime's JVM, or for a native zip its {@code bootstrap}, which runs as the child of the guard shell.
     */
    public long pid() {
        return process.children().findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    /**
     * Ends the process and what it started at once (SIGKILL), as Lambda ends an execution environment whose
     * invocation timed out: a native bootstrap frozen under its guard shell would outlive the shell alone.
     */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Adds a line to the process's log, as Lambda's platform lines appear in the function's log stream. */
    synchronized void note(String line) {
        append(line);
    }

    /** Process start to its first poll of the runtime API, once it has polled. */
    Optional<Duration> initDuration() {
        return Optional.ofNullable(initDuration);
    }

    /** The process asked for an event at {@code atNanos} (System.nanoTime); the first time, its init is over. */
    synchronized void polled(long atNanos) {
        if (initDuration == null) {
            initDuration = Duration.ofNanos(atNanos - startedNanos);
            append(String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: success",
                    millis(initDuration)));
        }
    }

    /** The process answered {@code requestId} after {@code duration}: Lambda's REPORT line. */
    synchronized void answered(String requestId, Duration duration) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB",
                requestId, millis(duration), (long) Math.ceil(millis(duration)), memoryMb));
        ProcessMemory.peakMegabytes(process.toHandle())
                .ifPresent(used -> line.append("\tMax Memory Used: ").append(used).append(" MB"));
        if (!initReported && initDuration != null) {
            line.append(String.format(Locale.ROOT, "\tInit Duration: %.2f ms", millis(initDuration)));
            initReported = true;
        }
        append(line.toString());
    }

    private void append(String line) {
        try {
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to " + log, e);
        }
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / 1_000_000.0;
    }

    /** Ends the process: closing its input makes its guard end it; SIGTERM, then SIGKILL, if it lingers. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed: the process is on its way out anyway.
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
