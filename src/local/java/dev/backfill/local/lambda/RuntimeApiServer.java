package dev.backfill.local.lambda;

import io.quarkus.amazon.lambda.runtime.MockEventServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Quarkus' Lambda runtime API server for one function, with what the AWS runtime interface client needs of the real
 * one: it listens on 127.0.0.1 only, answers an error report with 202 Accepted (the client treats any other status as
 * fatal and exits), and sends {@code Lambda-Runtime-Deadline-Ms}, {@code Lambda-Runtime-Invoked-Function-Arn} and a
 * content type with each event (the client's native code needs the content type). Events are posted to
 * {@code POST /_lambda_}, which answers when the function has: 200 with its result, 500 with its error. Each process
 * gets an address of its own ({@link #runtimeApi(int)}), so the server tells its {@link Observer} which process polled
 * first (the end of its init, as Lambda measures Init Duration) and which one ran each invocation, for how long.
 */
final class RuntimeApiServer extends MockEventServer {

    /** The value of {@code AWS_LAMBDA_RUNTIME_API} is host, port and this base path. */
    static final String BASE_PATH = MockEventServer.BASE_PATH;
    /** What the server sees of each process. Called on the server's threads; keep it quick. */
    interface Observer {

        /** {@code process} asked for its next event; its first poll ends its init. */
        void polled(int process);

        /** {@code process} answered the invocation {@code requestId} (response or error) after {@code duration}. */
        void answered(int process, String requestId, Duration duration);
    }

    /** Each process's address: {@code /_lambda_/process-<n>} and the runtime API's paths below it. */
    private static final Pattern PER_PROCESS = Pattern.compile(Pattern.quote(BASE_PATH) + "/process-(\\d+)(/.*)");
    private static final Pattern ANSWER = Pattern.compile("/2018-06-01/runtime/invocation/([^/]+)/(response|error)");
    private static final String PROCESS = "backfill.process";
    /** Quiet: MockEventServer logs each start and stop, and an error when it is closed while a process polls. */
    private static final Logger LOG = Logger.getLogger(MockEventServer.class.getName());

    static {
        LOG.setLevel(Level.OFF);
    }

    private final String functionArn;
    private final Duration timeout;
    private final int workerThreads;
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger peakBusy = new AtomicInteger();
    private final Observer observer;
    /** Invocations handed to a process and not answered yet, by request id. */
    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private record Running(int process, long sinceNanos) {
    }

    /** An invocation handed to {@code process} {@code since} (System.nanoTime) and not answered yet. */
    record InFlight(String requestId, int process, long sinceNanos) {
    }

    /** @param processes how many function processes will poll at once; each holds a blocked thread while waiting */
    RuntimeApiServer(String functionArn, Duration timeout, int processes, Observer observer) {
        this.functionArn = functionArn;
        this.timeout = timeout;
        this.workerThreads = Math.max(20, 2 * processes + 4);
        this.observer = observer;
    }

    /** Same as {@link MockEventServer#start(int)}, but bound to 127.0.0.1 and with enough worker threads. */
    @Override
    public void start(int port) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(workerThreads)
                .setMaxWorkerExecuteTime(60).setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES));
        setVertx(vertx);
        httpServer = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
        router = Router.router(vertx);
        router.routeWithRegex(PER_PROCESS.pattern()).handler(this::perProcess);
        setupRoutes();
        try {
            httpServer.requestHandler(router).listen().toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the runtime API server", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot start the runtime API server on 127.0.0.1:" + port, e.getCause());
        }
    }

    /** {@code host:port/_lambda_/process-<n>}, the value of {@code AWS_LAMBDA_RUNTIME_API} for process {@code n}. */
    String runtimeApi(int process) {
        return "127.0.0.1:" + getPort() + BASE_PATH + "/process-" + process;
    }

    /** {@code host:port/_lambda_}, where invocations are posted. */
    String invocations() {
        return "127.0.0.1:" + getPort() + BASE_PATH;
    }

    /** Notes which process calls, then serves the call as if made to the shared address. */
    private void perProcess(RoutingContext ctx) {
        Matcher path = PER_PROCESS.matcher(ctx.request().path());
        if (!path.matches()) {
            ctx.next();
            return;
        }
        int process = Integer.parseInt(path.group(1));
        String call = path.group(2);
        ctx.put(PROCESS, process);
        if (call.endsWith("/invocation/next")) {
            observer.polled(process);
        } else {
            Matcher answer = ANSWER.matcher(call);
            Running started = answer.matches() ? running.remove(answer.group(1)) : null;
            if (started != null) {
                observer.answered(started.process(), answer.group(1),
                        Duration.ofNanos(System.nanoTime() - started.sinceNanos()));
            }
        }
        ctx.reroute(BASE_PATH + call);
    }

    /** The invocations handed to a process and not answered yet. */
    java.util.List<InFlight> inFlight() {
        return running.entrySet().stream()
                .map(e -> new InFlight(e.getKey(), e.getValue().process(), e.getValue().sinceNanos())).toList();
    }

    /**
     * Ends an invocation in flight with a function error, as Lambda does when the function times out or its runtime
     * exits: the invoker gets {@code errorDocument} (status 500, as for an error the function reported), and an
     * answer the process may still send is refused.
     *
     * @return false when the invocation was answered in the meantime
     */
    boolean fail(String requestId, byte[] errorDocument) {
        running.remove(requestId);
        RoutingContext pending = responsePending.remove(requestId);
        if (pending == null) {
            return false;
        }
        pending.response().setStatusCode(500).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(errorDocument));
        return true;
    }

    /** Processes waiting for an event now. */
    int idle() {
        return idle.get();
    }

    /** Events handed to a process and not yet answered. */
    int busy() {
        return responsePending.size();
    }

    /** The most events in progress at once so far. */
    int peakBusy() {
        return peakBusy.get();
    }

    @Override
    public void nextEvent(RoutingContext ctx) {
        idle.incrementAndGet();
        ctx.addEndHandler(done -> idle.decrementAndGet());
        ctx.addHeadersEndHandler(ignored -> {
            if (ctx.response().headers().contains("Lambda-Runtime-Aws-Request-Id")) {
                long deadline = System.currentTimeMillis() + timeout.toMillis();
                ctx.response().putHeader("Lambda-Runtime-Deadline-Ms", Long.toString(deadline))
                        .putHeader("Lambda-Runtime-Invoked-Function-Arn", functionArn);
                if (!ctx.response().headers().contains("content-type")) {
                    ctx.response().putHeader("content-type", "application/json");
                }
                peakBusy.accumulateAndGet(responsePending.size(), Math::max);
                Integer process = ctx.get(PROCESS);
                if (process != null) {
                    running.put(ctx.response().headers().get("Lambda-Runtime-Aws-Request-Id"),
                            new Running(process, System.nanoTime()));
                }
            }
        });
        super.nextEvent(ctx);
    }

    @Override
    public void handleError(RoutingContext ctx) {
        RoutingContext pending = responsePending.remove(ctx.pathParam("requestId"));
        if (pending == null) {
            ctx.fail(404);
            return;
        }
        Buffer body = ctx.body().buffer();
        processError(ctx, pending, body);
        ctx.response().setStatusCode(202).end();
    }

    private void setVertx(Vertx vertx) {
        try {
            // MockEventServer keeps its Vert.x instance private but needs it to serve /next and to close.
            Field field = MockEventServer.class.getDeclaredField("vertx");
            field.setAccessible(true);
            field.set(this, vertx);
        } catch (ReflectiveOperationException e) {
            vertx.close();
            throw new IllegalStateException("This MockEventServer version cannot be bound to 127.0.0.1", e);
        }
    }
}
