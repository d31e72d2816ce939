package dev.backfill.example.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.RetryableException;
import dev.backfill.job.Deadline;
import dev.backfill.job.RateBudget;
import dev.backfill.job.SpacedRateBudget;
import dev.backfill.job.UpstreamMeter;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Politeness: a permit per request, Retry-After honoured on 429 and 503, never a wait past the deadline. */
class ThrottledGetTest {

    private static final URI ORDERS = URI.create("http://upstream.test/v1/orders?page=1");

    private final Deque<HttpTransport.Response> script = new ArrayDeque<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final UpstreamMeter meter = new UpstreamMeter();
    private int sent;
    private final HttpTransport transport = (uri, headers, timeout) -> {
        sent++;
        return script.removeFirst();
    };
    private final ThrottledGet get = new ThrottledGet(transport, pauses::add, 5);

    @Test
    void get_after429And503_waitsTheirRetryAfter_spendsAPermitPerRequest_andReportsTheThrottles() throws IOException {
        script.add(response(429, "3"));
        script.add(response(503, null));
        script.add(response(200, null));

        HttpTransport.Response answer = get.get(ORDERS, Map.of(), meter.metering(RateBudget.unlimited()),
                Deadline.none());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(pauses).containsExactly(Duration.ofSeconds(3), ThrottledGet.DEFAULT_RETRY_AFTER);
        assertThat(meter.snapshot()).isEqualTo(new UpstreamMeter.Counts(3, 2));
    }

    @Test
    void get_whenRetryAfterOverrunsTheDeadline_givesTheWindowBack_withoutWaiting() {
        script.add(response(429, "30"));

        assertThatThrownBy(() -> get.get(ORDERS, Map.of(), meter.metering(RateBudget.unlimited()),
                () -> Duration.ofSeconds(10)))
                .isInstanceOf(RetryableException.class)
                .hasMessage("The upstream asks to wait 30.0 s (HTTP 429 Retry-After) but the worker's deadline is "
                        + "10.0 s away")
                .satisfies(e -> assertThat(((RetryableException) e).retryAfter()).contains(Duration.ofSeconds(30)));
        assertThat(pauses).isEmpty();
        assertThat(sent).isEqualTo(1);
    }

    @Test
    void get_whenTheBudgetsNextPermitComesAfterTheDeadline_sendsNothing_andSpendsNothing() {
        long[] now = {0};
        SpacedRateBudget budget = new SpacedRateBudget(0.5, new SpacedRateBudget.Ticker() {
            @Override
            public long nanoTime() {
                return now[0];
            }

            @Override
            public void sleepNanos(long nanos) {
                now[0] += nanos;
            }
        });
        budget.acquire();

        assertThatThrownBy(() -> get.get(ORDERS, Map.of(), budget, () -> Duration.ofSeconds(1)))
                .isInstanceOf(RetryableException.class)
                .hasMessage("The rate budget gives no request to /v1/orders before the worker's deadline (1.0 s "
                        + "left)");
        assertThat(sent).isZero();
        assertThat(budget.tryAcquire(Duration.ofSeconds(2))).as("the refused permit was not taken").isTrue();
        assertThat(now[0]).isEqualTo(2_000_000_000L);
    }

    @Test
    void get_refusedTooOften_givesTheWindowBack() {
        for (int i = 0; i < 5; i++) {
            script.add(response(429, "0"));
        }

        assertThatThrownBy(() -> get.get(ORDERS, Map.of(), RateBudget.unlimited(), Deadline.none()))
                .isInstanceOf(RetryableException.class)
                .hasMessage("The upstream refused /v1/orders 5 times for its rate (HTTP 429)");
        assertThat(sent).isEqualTo(5);
        assertThat(pauses).hasSize(4);
    }

    @Test
    void retryAfter_readsDelaySeconds_andFallsBackForDatesAndNonsense() {
        assertThat(ThrottledGet.retryAfter(Optional.of(" 7 "))).isEqualTo(Duration.ofSeconds(7));
        assertThat(ThrottledGet.retryAfter(Optional.of("Wed, 21 Oct 2026 07:28:00 GMT")))
                .isEqualTo(ThrottledGet.DEFAULT_RETRY_AFTER);
        assertThat(ThrottledGet.retryAfter(Optional.of("-1"))).isEqualTo(ThrottledGet.DEFAULT_RETRY_AFTER);
        assertThat(ThrottledGet.retryAfter(Optional.empty())).isEqualTo(ThrottledGet.DEFAULT_RETRY_AFTER);
    }

    private static HttpTransport.Response response(int status, String retryAfter) {
        return new HttpTransport.Response(status, Optional.ofNullable(retryAfter), "{}".getBytes());
    }
}
