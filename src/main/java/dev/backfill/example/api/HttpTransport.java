package dev.backfill.example.api;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** One HTTP GET, as a job makes it: the port between {@link ApiDailySnapshot} and the JDK's HTTP client. */
@FunctionalInterface
public interface HttpTransport {

    /**
     * Sends {@code GET uri} with {@code headers} and reads the whole answer.
     *
     * @param timeout the longest the request may take, connection included
     * @throws IOException if no answer came (connection refused or reset, timeout)
     */
    Response get(URI uri, Map<String, String> headers, Duration timeout) throws IOException;

    /** An HTTP answer: its status, its {@code Retry-After} header if any, its body. */
    record Response(int status, Optional<String> retryAfter, byte[] body) {
    }

    /** The JDK's {@code java.net.http.HttpClient}, built on the first request (never at start-up). */
    static HttpTransport jdk() {
        return new JdkHttpTransport();
    }
}
