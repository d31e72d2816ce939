package dev.backfill.local.lambda;

import dev.backfill.local.config.LocalNames;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One execution environment of a function: a child process running the function zip against the function's runtime
 * API, with a clean environment like Lambda's (the reserved variables plus the function's own), its output appended
 * to a log file.
 */
public final class LambdaFunctionProcess implements AutoCloseable {

    private final Process process;

    private LambdaFunctionProcess(Process process) {
        this.process = process;
    }

    static LambdaFunctionProcess start(FunctionArtifact artifact, FunctionSpec spec, String runtimeApi, int index,
                                       Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(spec.name() + "-" + index + ".log");
        ProcessBuilder builder = new ProcessBuilder(artifact.command())
                .directory(artifact.taskRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(reservedEnvironment(artifact, spec, runtimeApi, index));
        env.putAll(spec.environment());
        // Standard input stays an open pipe: ChildGuard ends the process when it closes.
        return new LambdaFunctionProcess(builder.start());
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

    boolean isAlive() {
        return process.isAlive();
    }

    /** Ends the process: closing its input ends a JVM process at once; SIGTERM, then SIGKILL, for the rest. */
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
