package dev.backfill.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A function of the local stack: its runtime API server and the processes that poll it. Invocations wait in the
 * server's queue until a process is free, so at most {@link FunctionSpec#processes()} run at once.
 */
public final class LambdaFunction implements Invocable, AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final FunctionArtifact artifact;
    private final RuntimeApiServer server;
    private final Path logDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private volatile FunctionSpec spec;
    private volatile List<LambdaFunctionProcess> processes = List.of();

    private LambdaFunction(FunctionSpec spec, FunctionArtifact artifact, RuntimeApiServer server, Path logDir) {
        this.spec = spec;
        this.artifact = artifact;
        this.server = server;
        this.logDir = logDir;
    }

    /** Starts the runtime API server and the processes; {@link #awaitReady(Instant)} waits for the processes. */
    public static LambdaFunction start(FunctionSpec spec, FunctionArtifact artifact, Path logDir) throws IOException {
        RuntimeApiServer server = new RuntimeApiServer(spec.arn(), spec.timeout(), spec.processes());
        server.start(0);
        LambdaFunction function = new LambdaFunction(spec, artifact, server, logDir);
        function.startProcesses();
        return function;
    }

    @Override
    public String name() {
        return spec.name();
    }

    FunctionSpec spec() {
        return spec;
    }

    /** Processes running an invocation now. */
    int busy() {
        return server.busy();
    }

    /** The most invocations that ran at once. */
    int peakBusy() {
        return server.peakBusy();
    }

    /** Waits until every process polls for events; returns how long that took from the start of the processes. */
    Duration awaitReady(Instant startedAt) {
        Waits.until(() -> server.idle() + server.busy() >= processes.size() || anyDead(),
                READY_TIMEOUT, () -> spec.name() + " processes did not start; see " + logDir);
        if (anyDead()) {
            throw new IllegalStateException("A " + spec.name() + " process exited at start; see its log in " + logDir);
        }
        return Duration.between(startedAt, Instant.now());
    }

    /**
     * Runs the function on {@code payload} and waits for its answer, at most the function's timeout (plus time spent
     * waiting for a free process).
     */
    @Override
    public InvocationResult invoke(byte[] payload) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server.runtimeApi()))
                .timeout(spec.timeout().plusSeconds(30))
                .header("Content-Type", "application/json")
                .header("Lambda-Runtime-Aws-Request-Id", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200, 204 -> InvocationResult.success(response.body());
                case 500 -> InvocationResult.unhandled(response.body());
                default -> InvocationResult.unhandled(error("Runtime.Unavailable",
                        spec.name() + " is not running (runtime API answered " + response.statusCode() + ")"));
            };
        } catch (HttpTimeoutException e) {
            return InvocationResult.unhandled(error("Sandbox.Timedout", String.format("Task timed out after %.2f "
                    + "seconds", spec.timeout().toMillis() / 1000.0)));
        }
    }

    /**
     * Replaces every process by a new one whose environment has {@code overrides}, as a configuration change does on
     * Lambda, and waits until they are ready; returns how long the new processes took to start.
     */
    synchronized Duration restart(Map<String, String> overrides) throws IOException {
        stopProcesses();
        spec = spec.withEnvironment(overrides);
        Instant startedAt = Instant.now();
        startProcesses();
        return awaitReady(startedAt);
    }

    private synchronized void startProcesses() throws IOException {
        List<LambdaFunctionProcess> started = new ArrayList<>();
        for (int i = 1; i <= spec.processes(); i++) {
            started.add(LambdaFunctionProcess.start(artifact, spec, server.runtimeApi(), i, logDir));
        }
        processes = List.copyOf(started);
    }

    private boolean anyDead() {
        return processes.stream().anyMatch(p -> !p.isAlive());
    }

    private synchronized void stopProcesses() {
        processes.parallelStream().forEach(LambdaFunctionProcess::close);
        processes = List.of();
    }

    private static byte[] error(String type, String message) {
        return ("{\"errorMessage\":\"" + message.replace("\"", "'") + "\",\"errorType\":\"" + type + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        stopProcesses();
        try {
            // Closing the server while a poll is still being served makes it log an error.
            Waits.until(() -> server.idle() == 0, Duration.ofSeconds(2), () -> "polls still open");
        } catch (IllegalStateException e) {
            // Close anyway.
        }
        server.close();
    }
}
