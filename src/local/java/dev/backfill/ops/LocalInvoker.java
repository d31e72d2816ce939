package dev.backfill.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The local stack's Lambda Invoke API ({@code POST /2015-03-31/functions/backfill-dispatcher/invocations} on
 * 127.0.0.1:3001), called over HTTP without the AWS CLI, which a laptop may not have. It answers a function error
 * as Lambda does: 200 with {@code X-Amz-Function-Error}.
 */
final class LocalInvoker implements Invoker {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI uri;

    LocalInvoker(String endpoint, String function) {
        this.uri = URI.create(endpoint + "/2015-03-31/functions/" + function + "/invocations");
    }

    @Override
    public String invoke(String request) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofString(request)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new IOException("No local stack at " + uri.getHost() + ":" + uri.getPort()
                    + ": start it with `make local` in another terminal");
        }
        if (response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
            JsonNode error = Json.mapper().readTree(response.body());
            throw new FunctionErrorException(error.path("errorMessage").asText(response.body()));
        }
        if (response.statusCode() != 200) {
            throw new IOException("The Invoke API answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
