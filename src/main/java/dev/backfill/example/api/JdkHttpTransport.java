package dev.backfill.example.api;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@link HttpTransport} over one JDK {@link HttpClient}, made on the first request: a client made at start-up would
 * sit in a SnapStart snapshot with its selector thread and pooled connections. Works in a native image as is.
 */
final class JdkHttpTransport implements HttpTransport {

    private volatile HttpClient client;

    @Override
    public Response get(URI uri, Map<String, String> headers, Duration timeout) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(timeout);
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers().firstValue("Retry-After"),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for " + uri.getPath());
        }
    }

    private HttpClient client() {
        HttpClient made = client;
        if (made == null) {
            synchronized (this) {
                made = client;
                if (made == null) {
                    made = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                    client = made;
                }
            }
        }
        return made;
    }
}
