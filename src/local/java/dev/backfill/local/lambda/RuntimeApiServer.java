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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Quarkus' Lambda runtime API server for one function, with what the AWS runtime interface client needs of the real
 * one: it listens on 127.0.0.1 only, answers an error report with 202 Accepted (the client treats any other status as
 * fatal and exits), and sends {@code Lambda-Runtime-Deadline-Ms}, {@code Lambda-Runtime-Invoked-Function-Arn} and a
 * content type with each event (the client's native code needs the content type). Events are posted to
 * {@code POST /_lambda_}, which answers when the function has: 200 with its result, 500 with its error.
 */
final class RuntimeApiServer extends MockEventServer {

    /** The value of {@code AWS_LAMBDA_RUNTIME_API} is host, port and this base path. */
    static final String BASE_PATH = MockEventServer.BASE_PATH;
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

    /** @param processes how many function processes will poll at once; each holds a blocked thread while waiting */
    RuntimeApiServer(String functionArn, Duration timeout, int processes) {
        this.functionArn = functionArn;
        this.timeout = timeout;
        this.workerThreads = Math.max(20, 2 * processes + 4);
    }

    /** Same as {@link MockEventServer#start(int)}, but bound to 127.0.0.1 and with enough worker threads. */
    @Override
    public void start(int port) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(workerThreads)
                .setMaxWorkerExecuteTime(60).setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES));
        setVertx(vertx);
        httpServer = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
        router = Router.router(vertx);
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

    /** {@code host:port/_lambda_}, the value of {@code AWS_LAMBDA_RUNTIME_API} for this function's processes. */
    String runtimeApi() {
        return "127.0.0.1:" + getPort() + BASE_PATH;
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
