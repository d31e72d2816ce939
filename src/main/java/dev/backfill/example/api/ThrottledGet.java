package dev.backfill.example.api;

import dev.backfill.RetryableException;
import dev.backfill.job.Deadline;
import dev.backfill.job.RateBudget;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * GETs that keep to the upstream's rate: one permit of the rate budget per request, and on 429 (Too Many Requests)
 * or 503 (Service Unavailable) a pause of the answer's {@code Retry-After} seconds (RFC 9110 §10.2.3) before the
 * same request again. Whenever the permit or the pause would come after the worker's deadline, the window is given
 * back as retryable instead, without spending anything more, carrying the upstream's wait so that the message stays
 * invisible at least that long.
 */
final class ThrottledGet {

    /** Waits when the upstream says to slow down but not for how long. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** The longest one request may take; less when the deadline is nearer. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** How a job waits; injected so that tests can count the pauses. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;

        static Pause system() {
            return duration -> Thread.sleep(duration.toMillis());
        }
    }

    private final HttpTransport http;
    private final Pause pause;
    private final int maxThrottled;

    /** @param maxThrottled refusals of one request the window tolerates before it is given back */
    ThrottledGet(HttpTransport http, Pause pause, int maxThrottled) {
        this.http = Objects.requireNonNull(http, "http");
        this.pause = Objects.requireNonNull(pause, "pause");
        if (maxThrottled < 1) {
            throw new IllegalArgumentException("maxThrottled must be at least 1: " + maxThrottled);
        }
        this.maxThrottled = maxThrottled;
    }

    /**
     * The first answer that is not a refusal for rate.
     *
     * @throws RetryableException if the budget or a {@code Retry-After} would overrun the deadline, or the upstream
     *                            refused the request {@code maxThrottled} times
     * @throws IOException        if no answer came
     */
    HttpTransport.Response get(URI uri, Map<String, String> headers, RateBudget budget, Deadline deadline)
            throws IOException {
        for (int refusals = 0; ; ) {
            Duration left = deadline.remaining();
            if (left.isNegative() || left.isZero() || !budget.tryAcquire(left)) {
                throw new RetryableException("The rate budget gives no request to " + uri.getPath() + " before the "
                        + "worker's deadline (" + seconds(left) + " left)");
            }
            HttpTransport.Response response = http.get(uri, headers, timeout(deadline));
            if (response.status() != 429 && response.status() != 503) {
                return response;
            }
            budget.throttled();
            refusals++;
            Duration wait = retryAfter(response.retryAfter());
            if (refusals >= maxThrottled) {
                throw new RetryableException("The upstream refused " + uri.getPath() + " " + refusals + " times for "
                        + "its rate (HTTP " + response.status() + ")", wait);
            }
            if (!deadline.allows(wait)) {
                throw new RetryableException("The upstream asks to wait " + seconds(wait) + " (HTTP "
                        + response.status() + " Retry-After) but the worker's deadline is " + seconds(
                        deadline.remaining()) + " away", wait);
            }
            sleep(wait);
        }
    }

    /** Retry-After in delay-seconds; an HTTP date or nonsense is read as the default. */
    static Duration retryAfter(Optional<String> header) {
        try {
            return header.map(String::trim).map(Long::parseLong).filter(seconds -> seconds >= 0)
                    .map(Duration::ofSeconds).orElse(DEFAULT_RETRY_AFTER);
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private void sleep(Duration wait) throws IOException {
        try {
            pause.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while honouring Retry-After");
        }
    }

    /** The request timeout: at most {@link #REQUEST_TIMEOUT}, never past the deadline, always positive. */
    private static Duration timeout(Deadline deadline) {
        Duration left = deadline.remaining();
        Duration timeout = left.compareTo(REQUEST_TIMEOUT) < 0 ? left : REQUEST_TIMEOUT;
        return timeout.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : timeout;
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
