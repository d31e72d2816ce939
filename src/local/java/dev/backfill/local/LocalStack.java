package dev.backfill.local;

import static dev.backfill.local.config.LocalNames.BUCKET;
import static dev.backfill.local.config.LocalNames.DEAD_LETTER_QUEUE;
import static dev.backfill.local.config.LocalNames.DISPATCHER;
import static dev.backfill.local.config.LocalNames.WORKER;
import static dev.backfill.local.config.LocalNames.WORK_QUEUE;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.local.aws.EmbeddedS3;
import dev.backfill.local.aws.EmbeddedSqs;
import dev.backfill.local.upstream.LocalUpstream;
import dev.backfill.local.upstream.OrdersUpstream;
import dev.backfill.local.aws.LocalResources;
import dev.backfill.local.config.LocalStackConfig;
import dev.backfill.local.lambda.EventSourceMapping;
import dev.backfill.local.lambda.FunctionArtifact;
import dev.backfill.local.lambda.FunctionSpec;
import dev.backfill.local.lambda.InvokeApi;
import dev.backfill.local.lambda.LambdaFunction;
import dev.backfill.local.lambda.LambdaFunctionProcess;
import dev.backfill.store.ObjectStore;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The packaged functions on a laptop, on 127.0.0.1 only: embedded S3 (a versioned bucket) and SQS
 * (work queue and DLQ), the function zip running as separate processes behind Lambda runtime API servers (one
 * dispatcher process, worker processes up to the cap), an SQS event source mapping with the same MaximumConcurrency,
 * and the Lambda Invoke API, named as {@link dev.backfill.local.config.LocalNames} says. {@link #close()} stops
 * everything: no process is left and every port is freed. {@link LocalStackCommand} runs it for {@code make local}
 * and {@code make demo}.
 */
public final class LocalStack implements AutoCloseable {

    /** The dispatcher's timeout and both functions' memory, as in infra/template.yaml. */
    static final Duration DISPATCHER_TIMEOUT = Duration.ofSeconds(300);
    static final int MEMORY_MB = 1024;

    private final LocalStackConfig config;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private EmbeddedS3 s3Server;
    private EmbeddedSqs sqsServer;
    private OrdersUpstream upstream;
    private LocalUpstream upstreamConfig;
    private S3Client s3;
    private SqsClient sqs;
    private ObjectStore store;
    private LocalResources.Queues queues;
    private FunctionArtifact artifact;
    private LambdaFunction dispatcher;
    private LambdaFunction worker;
    private EventSourceMapping mapping;
    private InvokeApi invokeApi;
    private LedgerView ledger;
    private Duration workerStartup;
    private int seededDays;

    private LocalStack(LocalStackConfig config) {
        this.config = config;
    }

    /** Starts everything and returns once the functions' processes are ready for invocations. */
    public static LocalStack start(LocalStackConfig config) throws Exception {
        LocalStack stack = new LocalStack(config);
        try {
            stack.boot();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private void boot() throws Exception {
        startServers();
        store = new S3ObjectStore(s3, BUCKET);
        ledger = new LedgerView(store);
        LocalResources.createBucket(s3, BUCKET);
        queues = LocalResources.createQueues(sqs, WORK_QUEUE, DEAD_LETTER_QUEUE, config.visibilityTimeout());
        startFunctions();
        mapping = own(EventSourceMapping.start(sqs, queues.workUrl(), queues.workArn(), worker,
                config.batchSize(), config.maxConcurrency()));
        invokeApi = own(starting("the Lambda API", config.lambdaPort(), "BACKFILL_LOCAL_LAMBDA_PORT",
                () -> InvokeApi.start(config.lambdaPort(), Map.of(DISPATCHER, dispatcher, WORKER, worker))));
    }

    private void startServers() throws Exception {
        // ElasticMQ takes the longest to start; unpack the zip and start S3 meanwhile.
        CompletableFuture<EmbeddedSqs> sqsStarting = CompletableFuture.supplyAsync(() -> starting("SQS",
                config.sqsPort(), "BACKFILL_LOCAL_SQS_PORT", () -> EmbeddedSqs.start(config.sqsPort())));
        resources.push(() -> sqsStarting.thenAccept(EmbeddedSqs::close).exceptionally(e -> null).join());
        artifact = own(FunctionArtifact.unpack(config.functionZip()));
        s3Server = own(starting("S3", config.s3Port(), "BACKFILL_LOCAL_S3_PORT",
                () -> EmbeddedS3.start(config.s3Port())));
        sqsServer = join(sqsStarting);
        LocalUpstream orders = LocalUpstream.fromEnvironment(System.getenv());
        // Tests ask for free ports (S3 on 0); the orders API then takes a free one too.
        int ordersPort = config.s3Port() == 0 ? 0 : orders.port();
        upstream = own(starting("the orders API", ordersPort, "BACKFILL_LOCAL_UPSTREAM_PORT",
                () -> OrdersUpstream.start(orders.settings(), Clock.systemUTC(), ordersPort)));
        upstreamConfig = orders;
        s3 = own(LocalResources.s3Client(s3Server.endpoint()));
        sqs = own(LocalResources.sqsClient(sqsServer.endpoint()));
    }

    /** Starts both functions' processes, loads the demo input meanwhile, and waits for the processes. */
    private void startFunctions() throws IOException {
        LambdaFunctionProcess.clearLogs(config.logDir());
        Instant launched = Instant.now();
        dispatcher = own(LambdaFunction.start(new FunctionSpec(DISPATCHER, DISPATCHER_TIMEOUT,
                MEMORY_MB, 1, environment("dispatcher", Map.of())), artifact, config.logDir()));
        worker = own(LambdaFunction.start(new FunctionSpec(WORKER, config.workerTimeout(), MEMORY_MB,
                config.workerProcesses(), environment("worker", config.workerEnvironment())), artifact,
                config.logDir()));
        config.seed().ifPresent(days -> seededDays = LocalResources.seed(store, days));
        dispatcher.awaitReady(launched);
        workerStartup = worker.awaitReady(launched);
    }

    /** What both functions are configured with, as infra/ configures them on AWS, but pointing at this stack. */
    private Map<String, String> environment(String handler, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(config.functionEnvironment());
        env.putAll(extra);
        env.put("QUARKUS_LAMBDA_HANDLER", handler);
        env.put("BACKFILL_BUCKET", BUCKET);
        env.put("BACKFILL_QUEUE_URL", queues.workUrl());
        env.put("BACKFILL_DLQ_URL", queues.deadLetterUrl());
        env.put("BACKFILL_RETRY_MAX_RECEIVE_COUNT", String.valueOf(LocalResources.MAX_RECEIVE_COUNT));
        env.put("BACKFILL_WORKER_TIMEOUT", config.workerTimeout().toSeconds() + "s");
        env.put("BACKFILL_SQS_ENDPOINT_OVERRIDE", sqsServer.endpoint().toString());
        env.put("QUARKUS_S3_ENDPOINT_OVERRIDE", s3Server.endpoint().toString());
        env.put("QUARKUS_S3_PATH_STYLE_ACCESS", "true");
        env.put("BACKFILL_UPSTREAM_MAX_CONCURRENCY", String.valueOf(config.maxConcurrency()));
        upstreamConfig.configure(env, upstream);
        if (artifact.runtime() == FunctionArtifact.Runtime.PROVIDED_AL2023) {
            // As infra/template.yaml sets for the native build.
            env.put("DISABLE_SIGNAL_HANDLERS", "true");
        }
        return env;
    }

    public LocalStackConfig config() {
        return config;
    }

    public URI s3Endpoint() {
        return s3Server.endpoint();
    }

    public URI sqsEndpoint() {
        return sqsServer.endpoint();
    }

    /** The orders API that {@code api_daily_snapshot} reads. */
    public OrdersUpstream upstream() {
        return upstream;
    }

    public URI lambdaEndpoint() {
        return invokeApi.endpoint();
    }

    /** The bucket as the functions see it. */
    public ObjectStore store() {
        return store;
    }

    /** The most worker invocations the event source mapping had in flight at once. */
    public int peakConcurrency() {
        return mapping.peakConcurrency();
    }

    /** Starts counting the peak concurrency afresh, e.g. before a backfill. */
    public void resetPeakConcurrency() {
        mapping.resetPeak();
    }

    /** The most worker invocations that ran at once in the worker processes. */
    public int peakWorkerExecutions() {
        return worker.peakBusy();
    }

    /** How long the function processes took from launch until each polled the runtime API. */
    public Duration workerStartup() {
        return workerStartup;
    }

    /**
     * Each function's processes' Init Duration, as Lambda reports it: process start to its first poll of the runtime
     * API; by function name, dispatcher first.
     */
    public Map<String, List<Duration>> initDurations() {
        Map<String, List<Duration>> durations = new LinkedHashMap<>();
        durations.put(DISPATCHER, dispatcher.initDurations());
        durations.put(WORKER, worker.initDurations());
        return durations;
    }

    public int seededDays() {
        return seededDays;
    }

    /**
     * Replaces the worker processes by new ones with {@code overrides} in their environment, as a configuration
     * change does on Lambda; returns how long the new processes took to start.
     */
    public Duration restartWorker(Map<String, String> overrides) throws IOException {
        return worker.restart(overrides);
    }

    /** The worker function: its processes, and the timeouts, crashes and replacements it has seen. */
    public LambdaFunction workerFunction() {
        return worker;
    }

    /** Worker invocations in flight now. */
    public int inFlight() {
        return mapping.inFlight();
    }

    /** Invocations of the worker by the event source mapping so far. */
    public long workerInvocations() {
        return mapping.invocations();
    }

    public SqsClient sqs() {
        return sqs;
    }

    public LocalResources.Queues queues() {
        return queues;
    }

    public LedgerView ledger() {
        return ledger;
    }

    public LocalResources.QueueDepth queueDepth() {
        return LocalResources.depth(sqs, queues);
    }

    /** Which build of the zip runs, and how. */
    public String runtime() {
        return artifact.describe();
    }

    /** Stops everything, newest first; safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                System.err.println("Local stack: stopping a component failed: " + e);
            }
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Starts a server, or says which port to change when it cannot. */
    private static <T> T starting(String what, int port, String variable, Callable<T> start) {
        try {
            return start.call();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start " + what + " on 127.0.0.1:" + port + " (port in use? set "
                    + variable + "): " + e.getMessage(), e);
        }
    }

    private static <T> T join(CompletableFuture<T> future) throws Exception {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
