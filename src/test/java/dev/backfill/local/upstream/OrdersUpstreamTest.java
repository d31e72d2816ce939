package dev.backfill.local.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded orders API: rate-limited per second, forgetful beyond its horizon, deterministic. */
class OrdersUpstreamTest {

    private static final String APR_09 = "/v1/orders?from=2026-04-09T00:00:00Z&to=2026-04-10T00:00:00Z&page=";

    private final MutableClock calendar = new MutableClock(Instant.parse("2026-11-25T10:15:30Z"));
    private final AtomicLong nanos = new AtomicLong();
    private final HttpClient http = HttpClient.newHttpClient();
    private OrdersUpstream upstream;

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void get_aboveItsRateWithinOneSecond_answers429WithRetryAfter_andCountsEveryRequest() throws Exception {
        upstream = OrdersUpstream.start(new OrdersUpstream.Settings(3, 400, 20, 1L), calendar, nanos::get, 0);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(get(APR_09 + 1).statusCode());
        }
        HttpResponse<String> refused = get(APR_09 + 1);
        nanos.addAndGet(1_000_000_000L);
        int nextSecond = get(APR_09 + 1).statusCode();

        assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(nextSecond).isEqualTo(200);
        assertThat(upstream.requests()).isEqualTo(7);
        assertThat(upstream.throttled()).isEqualTo(3);
        assertThat(upstream.busiestSecond()).isEqualTo(6);
        assertThat(upstream.perSecond()).containsExactly(Map.entry(0L, 6), Map.entry(1L, 1));
    }

    @Test
    void get_aDayBeforeItsHorizon_answers404NamingTheOldestServedDay() throws Exception {
        upstream = OrdersUpstream.start(new OrdersUpstream.Settings(100, 30, 20, 1L), calendar, nanos::get, 0);

        HttpResponse<String> forgotten = get(APR_09 + 1);

        assertThat(forgotten.statusCode()).isEqualTo(404);
        assertThat(forgotten.headers().firstValue("X-Oldest-Served")).contains("2026-10-26");
        assertThat(upstream.notServed()).isEqualTo(1);
    }

    @Test
    void get_pages_areDeterministic_andEndWithNextPageNull() throws Exception {
        upstream = OrdersUpstream.start(new OrdersUpstream.Settings(100, 400, 20, 1L), calendar, nanos::get, 0);
        Map<Integer, String> first = new HashMap<>();
        String page;
        int n = 1;
        do {
            page = get(APR_09 + n).body();
            first.put(n++, page);
        } while (!page.endsWith("\"nextPage\":null}"));

        int pages = n - 1;
        assertThat(pages).isGreaterThan(1);
        assertThat(get(APR_09 + 1).body()).isEqualTo(first.get(1));
        assertThat(get(APR_09 + pages).body()).isEqualTo(first.get(pages));
        assertThat(get("/v1/orders?from=yesterday&to=2026-04-10T00:00:00Z").statusCode()).isEqualTo(400);
    }

    @Test
    void localUpstream_tellsTheFunctionsWhereItIs_andAHorizonADayShort_butKeepsABudgetAlreadySet() throws IOException {
        LocalUpstream local = LocalUpstream.fromEnvironment(Map.of("BACKFILL_LOCAL_UPSTREAM_RATE", "7"));
        upstream = OrdersUpstream.start(local.settings(), calendar, nanos::get, 0);
        Map<String, String> env = new HashMap<>(Map.of("BACKFILL_UPSTREAM_REQUESTS_PER_SECOND", "5"));

        local.configure(env, upstream);

        assertThat(local).isEqualTo(new LocalUpstream(LocalUpstream.DEFAULT_PORT, 7, 400));
        assertThat(env).containsEntry("BACKFILL_JOBS_API_DAILY_SNAPSHOT_BASE_URL", upstream.baseUrl().toString())
                .containsEntry("BACKFILL_JOBS_API_DAILY_SNAPSHOT_HORIZON_DAYS", "399")
                .containsEntry("BACKFILL_UPSTREAM_REQUESTS_PER_SECOND", "5");
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(upstream.baseUrl() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
