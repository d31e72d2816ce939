package dev.backfill.local.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * An orders API that behaves like a real one a job must be polite to, for the local stack, tests and the bench:
 * {@code GET /v1/orders?from=<instant>&to=<instant>&page=N} answers {@code {"orders":[...],"nextPage":N|null}} from
 * {@link DemoOrders}; it counts every request per second itself and answers 429 with {@code Retry-After: 1} to those
 * above its limit; it forgets days older than its horizon (404, header {@code X-Oldest-Served}). Binds 127.0.0.1.
 *
 * @see dev.backfill.example.api.ApiDailySnapshot
 */
public final class OrdersUpstream implements AutoCloseable {

    /**
     * @param requestsPerSecond the most requests a calendar second answers; more are refused with 429
     * @param horizonDays       days back from today (UTC, by the clock) still served
     * @param pageSize          orders per page
     */
    public record Settings(int requestsPerSecond, int horizonDays, int pageSize, long seed) {
        public Settings {
            if (requestsPerSecond < 1 || horizonDays < 1 || pageSize < 1) {
                throw new IllegalArgumentException("Upstream settings must be positive: " + requestsPerSecond
                        + " requests/s, " + horizonDays + " days, " + pageSize + " a page");
            }
        }

        public static Settings standard(int requestsPerSecond) {
            return new Settings(requestsPerSecond, 400, 20, 20260409L);
        }
    }

    private final Settings settings;
    private final Clock calendar;
    private final LongSupplier nanoTime;
    private final DemoOrders orders;
    private final HttpServer server;
    private final ExecutorService executor;
    private final long startNanos;
    private final Map<Long, AtomicInteger> perSecond = new ConcurrentHashMap<>();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong notServed = new AtomicLong();

    private OrdersUpstream(Settings settings, Clock calendar, LongSupplier nanoTime, int port) throws IOException {
        this.settings = settings;
        this.calendar = calendar;
        this.nanoTime = nanoTime;
        this.orders = new DemoOrders(settings.seed());
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        this.executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "orders-upstream");
            thread.setDaemon(true);
            return thread;
        });
        this.startNanos = nanoTime.getAsLong();
        server.setExecutor(executor);
        server.createContext("/v1/orders", this::orders);
        server.start();
    }

    /**
     * Starts the upstream on {@code port} (0: any free one).
     *
     * @param calendar tells today, from which the horizon counts back
     */
    public static OrdersUpstream start(Settings settings, Clock calendar, int port) throws IOException {
        return start(settings, calendar, System::nanoTime, port);
    }

    /** As {@link #start(Settings, Clock, int)}, counting seconds on {@code nanoTime}: tests hold time still. */
    public static OrdersUpstream start(Settings settings, Clock calendar, LongSupplier nanoTime, int port)
            throws IOException {
        return new OrdersUpstream(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(calendar,
                "calendar"), Objects.requireNonNull(nanoTime, "nanoTime"), port);
    }

    /** Where the API is, such as {@code http://127.0.0.1:9100}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The oldest day served today. */
    public LocalDate oldestServed() {
        return LocalDate.ofInstant(calendar.instant(), ZoneOffset.UTC).minusDays(settings.horizonDays());
    }

    /** Requests received, refused ones included. */
    public long requests() {
        return perSecond.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    /** Requests refused with 429. */
    public long throttled() {
        return throttled.get();
    }

    /** Requests answered 404 for a day older than the horizon. */
    public long notServed() {
        return notServed.get();
    }

    /** The most requests received within one second since start (seconds counted from start). */
    public int busiestSecond() {
        return perSecond.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    /** Requests received in each second since start, by second. */
    public Map<Long, Integer> perSecond() {
        Map<Long, Integer> copy = new TreeMap<>();
        perSecond.forEach((second, count) -> copy.put(second, count.get()));
        return copy;
    }

    private void orders(HttpExchange exchange) throws IOException {
        try (exchange) {
            long second = (nanoTime.getAsLong() - startNanos) / 1_000_000_000L;
            int count = perSecond.computeIfAbsent(second, s -> new AtomicInteger()).incrementAndGet();
            if (count > settings.requestsPerSecond()) {
                throttled.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After", "1");
                send(exchange, 429, "{\"error\":\"too many requests\"}");
                return;
            }
            answer(exchange, query(exchange.getRequestURI().getRawQuery()));
        }
    }

    private void answer(HttpExchange exchange, Map<String, String> query) throws IOException {
        Instant from;
        Instant to;
        int page;
        try {
            from = Instant.parse(query.getOrDefault("from", ""));
            to = Instant.parse(query.getOrDefault("to", ""));
            page = Integer.parseInt(query.getOrDefault("page", "1"));
        } catch (DateTimeParseException | NumberFormatException e) {
            send(exchange, 400, "{\"error\":\"from and to must be ISO instants, page a number\"}");
            return;
        }
        if (page < 1 || !to.isAfter(from)) {
            send(exchange, 400, "{\"error\":\"page must be at least 1 and to after from\"}");
            return;
        }
        LocalDate oldest = oldestServed();
        if (from.isBefore(oldest.atStartOfDay(ZoneOffset.UTC).toInstant())) {
            notServed.incrementAndGet();
            exchange.getResponseHeaders().set("X-Oldest-Served", oldest.toString());
            send(exchange, 404, "{\"error\":\"not served\",\"oldestServed\":\"" + oldest + "\"}");
            return;
        }
        List<DemoOrders.Order> all = orders.between(from, to);
        int first = Math.min(all.size(), (page - 1) * settings.pageSize());
        int last = Math.min(all.size(), first + settings.pageSize());
        StringBuilder body = new StringBuilder(64 + 96 * (last - first)).append("{\"orders\":[");
        for (int i = first; i < last; i++) {
            DemoOrders.Order order = all.get(i);
            body.append(i == first ? "" : ",").append("{\"id\":\"").append(order.id()).append("\",\"ts\":\"")
                    .append(order.ts()).append("\",\"status\":\"").append(order.status())
                    .append("\",\"amount_cents\":").append(order.amountCents()).append('}');
        }
        body.append("],\"nextPage\":").append(last < all.size() ? String.valueOf(page + 1) : "null").append('}');
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, 200, body.toString());
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new TreeMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    query.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1),
                            StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
