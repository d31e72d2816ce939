package dev.backfill.local.lambda;

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
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A function of the local stack: its runtime API server and the processes that poll it. Invocations wait in the
 * server's queue until a process is free, so at most {@link FunctionSpec#processes()} run at once. What the server
 * sees of each process (its first poll, each answer) goes to that process's log, off the server's threads.
 *
 * <p>Failures are Lambda's: once the processes are ready, a supervisor ends an invocation that runs past the timeout
 * with {@code Sandbox.Timedout} and kills its process; a process that exits (a crash, a SIGKILL) fails its invocation
 * in flight with {@code Runtime.ExitError}; either way a new process takes its place, so the number of processes —
 * the concurrency — stays what it was (Lambda Developer Guide, "Lambda execution environment": a function that
 * crashes or times out during the invoke phase has its execution environment reset).
 */
public final class LambdaFunction implements Invocable, AutoCloseable, RuntimeApiServer.Observer {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** How often the supervisor looks for timed-out invocations and dead processes. */
    private static final Duration SUPERVISION = Duration.ofMillis(100);

    private final FunctionArtifact artifact;
    private final Path logDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger processIds = new AtomicInteger();
    /** Every process started, by id, each added as soon as it starts (a restart adds new ones). */
    private final Map<Integer, LambdaFunctionProcess> byId = new ConcurrentHashMap<>();
    private final ExecutorService reports;
    private final java.util.concurrent.ScheduledExecutorService supervisor;
    private final AtomicInteger timeouts = new AtomicInteger();
    private final AtomicInteger crashes = new AtomicInteger();
    private final AtomicInteger replacements = new AtomicInteger();
    private volatile boolean supervising;
    private RuntimeApiServer server;
    private volatile FunctionSpec spec;
    private volatile List<LambdaFunctionProcess> processes = List.of();

    private LambdaFunction(FunctionSpec spec, FunctionArtifact artifact, Path logDir) {
        this.spec = spec;
        this.artifact = artifact;
        this.logDir = logDir;
        this.reports = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, spec.name() + "-reports");
            thread.setDaemon(true);
            return thread;
        });
        this.supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, spec.name() + "-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the runtime API server and the processes; {@link #awaitReady(Instant)} waits for the processes. */
    public static LambdaFunction start(FunctionSpec spec, FunctionArtifact artifact, Path logDir) throws IOException {
        LambdaFunction function = new LambdaFunction(spec, artifact, logDir);
        function.server = new RuntimeApiServer(spec.arn(), spec.timeout(), spec.processes(), function);
        function.server.start(0);
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
    public int peakBusy() {
        return server.peakBusy();
    }

    /** Each running process's Init Duration (process start to its first poll), once it has polled. */
    public List<Duration> initDurations() {
        return processes.stream().map(LambdaFunctionProcess::initDuration).flatMap(Optional::stream).toList();
    }

    /** Waits until every process polls for events; returns how long that took from the start of the processes. */
    public Duration awaitReady(Instant startedAt) {
        Waits.until(() -> processes.stream().allMatch(p -> p.initDuration().isPresent()) || anyDead(),
                READY_TIMEOUT, () -> spec.name() + " processes did not start; see " + logDir);
        if (anyDead()) {
            throw new IllegalStateException("A " + spec.name() + " process exited at start; see its log in " + logDir);
        }
        if (!supervising) {
            supervising = true;
            supervisor.scheduleWithFixedDelay(this::supervise, SUPERVISION.toMillis(), SUPERVISION.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return Duration.between(startedAt, Instant.now());
    }

    /** Invocations ended for running past the timeout (their processes killed and replaced). */
    public int timeouts() {
        return timeouts.get();
    }

    /** Invocations failed because their process exited. */
    public int crashes() {
        return crashes.get();
    }

    /** Processes started in place of one that exited or was killed. */
    public int replacements() {
        return replacements.get();
    }

    /** The process ids of the processes now serving the function. */
    public List<Long> pids() {
        return processes.stream().map(LambdaFunctionProcess::pid).toList();
    }

    /** The process ids of the processes running an invocation now. */
    public List<Long> busyPids() {
        return server.inFlight().stream().map(call -> byId.get(call.process())).filter(Objects::nonNull)
                .filter(LambdaFunctionProcess::isAlive).map(LambdaFunctionProcess::pid).toList();
    }

    /** One round of supervision; never throws, or the scheduler would stop calling it. */
    private void supervise() {
        try {
            failTimedOutAndOrphaned();
            replaceDead();
        } catch (IOException | RuntimeException e) {
            System.err.println(spec.name() + " supervisor: " + e);
        }
    }

    private void failTimedOutAndOrphaned() {
        long now = System.nanoTime();
        for (RuntimeApiServer.InFlight call : server.inFlight()) {
            LambdaFunctionProcess process = byId.get(call.process());
            if (process == null) {
                continue;
            }
            if (!process.isAlive()) {
                String message = "RequestId: " + call.requestId() + " Error: Runtime exited with error: signal: killed";
                if (server.fail(call.requestId(), error("Runtime.ExitError", message))) {
                    crashes.incrementAndGet();
                    process.note(message + "\tRuntime.ExitError");
                }
            } else if (now - call.sinceNanos() > spec.timeout().toNanos()) {
                String message = String.format(java.util.Locale.ROOT, "Task timed out after %.2f seconds",
                        spec.timeout().toMillis() / 1000.0);
                if (server.fail(call.requestId(), error("Sandbox.Timedout", message))) {
                    timeouts.incrementAndGet();
                    process.note(String.format(java.util.Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms"
                            + "\tStatus: timeout", call.requestId(), spec.timeout().toMillis() * 1.0));
                    process.kill();
                }
            }
        }
    }

    /** Starts a new process in the place of each one that is gone, unless the function is being stopped. */
    private synchronized void replaceDead() throws IOException {
        if (processes.stream().allMatch(LambdaFunctionProcess::isAlive)) {
            return;
        }
        List<LambdaFunctionProcess> next = new ArrayList<>();
        for (LambdaFunctionProcess process : processes) {
            if (process.isAlive()) {
                next.add(process);
                continue;
            }
            int id = processIds.incrementAndGet();
            LambdaFunctionProcess replacement = LambdaFunctionProcess.start(artifact, spec, server.runtimeApi(id), id,
                    process.index(), logDir);
            byId.put(id, replacement);
            next.add(replacement);
            replacements.incrementAndGet();
        }
        processes = List.copyOf(next);
    }

    /**
     * Runs the function on {@code payload} and waits for its answer, at most the function's timeout (plus time spent
     * waiting for a free process).
     */
    @Override
    public InvocationResult invoke(byte[] payload) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server.invocations()))
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
    public synchronized Duration restart(Map<String, String> overrides) throws IOException {
        stopProcesses();
        spec = spec.withEnvironment(overrides);
        Instant startedAt = Instant.now();
        startProcesses();
        return awaitReady(startedAt);
    }

    private synchronized void startProcesses() throws IOException {
        List<LambdaFunctionProcess> started = new ArrayList<>();
        for (int i = 1; i <= spec.processes(); i++) {
            int id = processIds.incrementAndGet();
            LambdaFunctionProcess process = LambdaFunctionProcess.start(artifact, spec, server.runtimeApi(id), id, i,
                    logDir);
            byId.put(id, process);
            started.add(process);
        }
        processes = List.copyOf(started);
    }

    @Override
    public void polled(int process) {
        long at = System.nanoTime();
        reports.execute(() -> process(process).ifPresent(p -> p.polled(at)));
    }

    @Override
    public void answered(int process, String requestId, Duration duration) {
        reports.execute(() -> process(process).ifPresent(p -> p.answered(requestId, duration)));
    }

    private Optional<LambdaFunctionProcess> process(int id) {
        try {
            // A process may poll before its start has returned here.
            Waits.until(() -> byId.containsKey(id), Duration.ofSeconds(5),
                    () -> "no " + spec.name() + " process " + id);
            return Optional.of(byId.get(id));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
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
        supervisor.shutdownNow();
        stopProcesses();
        try {
            // Closing the server while a poll is still being served makes it log an error.
            Waits.until(() -> server.idle() == 0, Duration.ofSeconds(2), () -> "polls still open");
        } catch (IllegalStateException e) {
            // Close anyway.
        }
        server.close();
        reports.shutdown();
    }
}
