package dev.backfill.local.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.backfill.Json;
import dev.backfill.local.config.LocalNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the Lambda API the AWS CLI and SDKs need to run the local functions: {@code Invoke}
 * ({@code POST /2015-03-31/functions/{name}/invocations}, synchronous or {@code Event}) and {@code ListFunctions}.
 * A function error answers 200 with {@code X-Amz-Function-Error: Unhandled} and the error document, as Lambda does;
 * an unknown function answers 404 {@code ResourceNotFoundException}.
 */
public final class InvokeApi implements AutoCloseable {

    /** Invoke accepts at most 6 MB synchronously and 1 MB asynchronously (Lambda quotas). */
    private static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
    private static final int MAX_ASYNC_PAYLOAD = 1024 * 1024;
    private static final Pattern INVOKE = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations/?$");
    private static final String EXECUTED_VERSION = "X-Amz-Executed-Version";
    private static final Pattern LIST = Pattern.compile("^/2015-03-31/functions/?$");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, LambdaFunction> functions;

    private InvokeApi(HttpServer server, ExecutorService executor, Map<String, LambdaFunction> functions) {
        this.server = server;
        this.executor = executor;
        this.functions = Map.copyOf(functions);
    }

    /** Serves {@code functions} by name on 127.0.0.1:{@code port} (0: any free port). */
    public static InvokeApi start(int port, Map<String, LambdaFunction> functions) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "lambda-invoke-api");
            thread.setDaemon(true);
            return thread;
        });
        InvokeApi api = new InvokeApi(server, executor, functions);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            Matcher invoke = INVOKE.matcher(path);
            if (invoke.matches() && exchange.getRequestMethod().equals("POST")) {
                invoke(exchange, functionName(invoke.group(1)));
            } else if (LIST.matcher(path).matches() && exchange.getRequestMethod().equals("GET")) {
                send(exchange, 200, Json.write(listFunctions()), Map.of());
            } else {
                error(exchange, 404, "UnknownOperationException", "Unknown operation " + exchange.getRequestMethod()
                        + " " + path + "; the local stack serves Invoke and ListFunctions");
            }
        } catch (RuntimeException e) {
            error(exchange, 500, "ServiceException", "The local Lambda API failed: " + e.getMessage());
        } finally {
            exchange.close();
        }
    }

    private void invoke(HttpExchange exchange, String name) throws IOException {
        LambdaFunction function = functions.get(name);
        if (function == null) {
            error(exchange, 404, "ResourceNotFoundException", "Function not found: " + LocalNames.functionArn(name));
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        byte[] payload = exchange.getRequestBody().readNBytes(MAX_SYNC_PAYLOAD + 1);
        if (payload.length == 0) {
            payload = "{}".getBytes(StandardCharsets.UTF_8);
        }
        int limit = "Event".equals(type) ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
        if (payload.length > limit) {
            error(exchange, 413, "RequestEntityTooLargeException", "Request must be smaller than " + limit
                    + " bytes for the " + (type == null ? "RequestResponse" : type) + " invocation type");
            return;
        }
        if ("DryRun".equals(type)) {
            send(exchange, 204, new byte[0], Map.of());
        } else if ("Event".equals(type)) {
            byte[] event = payload;
            executor.execute(() -> invokeQuietly(function, event));
            send(exchange, 202, new byte[0], Map.of());
        } else {
            InvocationResult result = invokeOrInterrupt(function, payload);
            send(exchange, 200, result.payload(), result.failed()
                    ? Map.of(EXECUTED_VERSION, "$LATEST", "X-Amz-Function-Error", result.functionError())
                    : Map.of(EXECUTED_VERSION, "$LATEST"));
        }
    }

    private static InvocationResult invokeOrInterrupt(LambdaFunction function, byte[] payload) throws IOException {
        try {
            return function.invoke(payload);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while invoking " + function.name(), e);
        }
    }

    private static void invokeQuietly(LambdaFunction function, byte[] payload) {
        try {
            function.invoke(payload);
        } catch (IOException | InterruptedException e) {
            System.err.println("Asynchronous invocation of " + function.name() + " failed: " + e);
        }
    }

    /** The name in a function name, ARN or partial ARN, without a {@code $LATEST} qualifier. */
    private static String functionName(String encoded) {
        String name = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        int function = name.indexOf("function:");
        if (function >= 0) {
            name = name.substring(function + "function:".length());
        }
        return name.endsWith(":$LATEST") ? name.substring(0, name.length() - ":$LATEST".length()) : name;
    }

    private ObjectNode listFunctions() {
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode list = body.putArray("Functions");
        functions.values().stream().map(LambdaFunction::spec).sorted(Comparator.comparing(FunctionSpec::name))
                .forEach(spec -> list.addObject()
                        .put("FunctionName", spec.name())
                        .put("FunctionArn", spec.arn())
                        .put("Runtime", "java21")
                        .put("Handler", FunctionArtifact.QUARKUS_HANDLER)
                        .put("Timeout", spec.timeout().toSeconds())
                        .put("MemorySize", spec.memoryMb())
                        .put("Version", "$LATEST")
                        .put("PackageType", "Zip"));
        return body;
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = Json.mapper().createObjectNode().put("Type", "User").put("message", message);
        send(exchange, status, Json.write(body), Map.of("X-Amzn-ErrorType", type));
    }

    private static void send(HttpExchange exchange, int status, byte[] body, Map<String, String> headers)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amzn-RequestId", UUID.randomUUID().toString());
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
