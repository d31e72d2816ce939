package dev.backfill.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.amazon.lambda.runtime.MockEventServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead function process must fail the invocations a test waits for at once, with the cause, rather than leave the
 * test waiting for an answer that never comes.
 */
class RuntimeApiProxyTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void deadFunction_failsTheInvocationItTookAndEveryLaterOne_withTheCause() throws Exception {
        MockEventServer events = new MockEventServer();
        events.start(0);
        try (RuntimeApiProxy proxy = new RuntimeApiProxy("127.0.0.1:" + events.getPort() + "/_lambda_")) {
            String eventServer = "http://127.0.0.1:" + events.getPort() + "/_lambda_";
            CompletableFuture<HttpResponse<String>> first = post(eventServer, "{\"n\":1}");
            // The "function" takes the invocation through the proxy, then dies without answering it.
            HttpResponse<String> taken = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + proxy.runtimeApi()
                    + "/2018-06-01/runtime/invocation/next")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(taken.body()).isEqualTo("{\"n\":1}");
            assertThat(proxy.firstRequest()).isDone();
            assertThat(first).as("no answer while the function lives").isNotDone();

            proxy.answerEverythingWith("The function process (pid 7) exited with code 3; boom");

            assertThat(first).as("the event server's answer to the invocation the dead function took")
                    .succeedsWithin(Duration.ofSeconds(30));
            HttpResponse<String> failed = first.join();
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).contains("FunctionProcessDied", "exited with code 3; boom");
            CompletableFuture<HttpResponse<String>> posted = post(eventServer, "{\"n\":2}");
            assertThat(posted).as("the event server's answer to an invocation posted after the function died")
                    .succeedsWithin(Duration.ofSeconds(30));
            HttpResponse<String> later = posted.join();
            assertThat(later.statusCode()).isEqualTo(500);
            assertThat(later.body()).contains("exited with code 3; boom");
        } finally {
            events.close();
        }
    }

    @Test
    void exitedProcess_isDescribedByItsExitCodeAndTheTailOfItsLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("function-it.log");
        Process process = new ProcessBuilder("sh", "-c", "echo starting; echo 'Exception in init: boom'; exit 3")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FunctionProcess.launched(process, log);
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("sh exits within 30 s").isTrue();
            assertThat(FunctionProcess.death()).hasValueSatisfying(death -> assertThat(death)
                    .contains("exited with code 3", log.toString(), "Exception in init: boom"));
            org.assertj.core.api.Assertions.assertThatThrownBy(FunctionProcess::assertAlive)
                    .isInstanceOf(AssertionError.class).hasMessageContaining("exited with code 3");
            assertThat(Files.readString(log)).contains("starting");
        } finally {
            FunctionProcess.closing(process);
        }
        FunctionProcess.assertAlive();
    }

    private static CompletableFuture<HttpResponse<String>> post(String eventServer, String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(eventServer)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
