package dev.backfill.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sits between the AWS Runtime Interface Client and Quarkus' Lambda event server. The event server acknowledges a
 * function's response or error with 204, where Lambda's runtime API answers 202 Accepted, and the client treats
 * anything but 202 after an error report as fatal; this proxy passes everything through and says 202 instead.
 *
 * <p>It also knows which invocations the function has taken and not answered. Once the function process is dead
 * ({@link #answerEverythingWith}), it answers those, and every invocation posted later, with an error naming the
 * cause, so a test waiting for an invocation fails at once instead of waiting for an answer that never comes.
 */
final class RuntimeApiProxy implements AutoCloseable {

    private static final String NEXT = "/2018-06-01/runtime/invocation/next";
    private static final Pattern ANSWER = Pattern.compile("/2018-06-01/runtime/invocation/([^/]+)/(response|error)$");
    private static final String REQUEST_ID = "Lambda-Runtime-Aws-Request-Id";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "runtime-api-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String upstream;
    private final CompletableFuture<Void> firstRequest = new CompletableFuture<>();
    /** Invocations handed to the function and not yet answered by it. */
    private final Set<String> taken = new HashSet<>();
    /** Why every invocation now fails, once the function is dead. */
    private String deadBecause;

    /** @param upstream the event server as {@code host:port/_lambda_} */
    RuntimeApiProxy(String upstream) throws IOException {
        this.upstream = "http://" + upstream;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::forward);
        server.start();
    }

    /** The address to give the client as {@code AWS_LAMBDA_RUNTIME_API}. */
    String runtimeApi() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Completes when the function first calls the runtime API: it has initialised and polls for invocations. */
    CompletableFuture<Void> firstRequest() {
        return firstRequest;
    }

    /**
     * The function is dead: answer each invocation it took and did not answer, and from now on every invocation
     * posted to the event server, with an error saying {@code cause}.
     */
    void answerEverythingWith(String cause) {
        List<String> unanswered;
        synchronized (this) {
            deadBecause = cause;
            unanswered = List.copyOf(taken);
            taken.clear();
        }
        unanswered.forEach(this::fail);
        executor.execute(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    HttpResponse<Void> next = client.send(HttpRequest.newBuilder(URI.create(upstream + NEXT)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    next.headers().firstValue(REQUEST_ID).ifPresent(this::fail);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    if (executor.isShutdown()) {
                        return;
                    }
                }
            }
        });
    }

    private void fail(String requestId) {
        String cause;
        synchronized (this) {
            cause = deadBecause;
        }
        String body = Json.errorBody(cause);
        try {
            client.send(HttpRequest.newBuilder(URI.create(upstream + "/2018-06-01/runtime/invocation/" + requestId
                    + "/error")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // The event server is gone: nobody waits for this invocation any more.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        firstRequest.complete(null);
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String path = exchange.getRequestURI().getPath();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body.readAllBytes()));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!List.of("host", "content-length", "connection", "expect", "upgrade")
                        .contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Matcher answer = ANSWER.matcher(path);
            if (answer.find()) {
                synchronized (this) {
                    taken.remove(answer.group(1));
                }
            } else if (path.endsWith(NEXT)) {
                Optional<String> tookNow = response.headers().firstValue(REQUEST_ID);
                boolean dead;
                synchronized (this) {
                    dead = deadBecause != null;
                    if (!dead) {
                        tookNow.ifPresent(taken::add);
                    }
                }
                if (dead) {
                    // Taken for a process that died meanwhile: it will never answer.
                    tookNow.ifPresent(this::fail);
                    return;
                }
            }
            for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
                if (!List.of("content-length", "transfer-encoding", "connection", ":status")
                        .contains(header.getKey().toLowerCase())) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            int status = response.statusCode() == 204 && "POST".equals(exchange.getRequestMethod())
                    ? 202 : response.statusCode();
            byte[] payload = response.body();
            exchange.sendResponseHeaders(status, payload.length == 0 ? -1 : payload.length);
            if (payload.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(payload);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The runtime API's error document, without a JSON library on this path. */
    private static final class Json {
        static String errorBody(String message) {
            StringBuilder escaped = new StringBuilder();
            for (char c : message.toCharArray()) {
                switch (c) {
                    case '"' -> escaped.append("\\\"");
                    case '\\' -> escaped.append("\\\\");
                    case '\n' -> escaped.append("\\n");
                    case '\r' -> escaped.append("\\r");
                    case '\t' -> escaped.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            escaped.append(String.format("\\u%04x", (int) c));
                        } else {
                            escaped.append(c);
                        }
                    }
                }
            }
            return "{\"errorType\":\"FunctionProcessDied\",\"errorMessage\":\"" + escaped + "\"}";
        }
    }
}
