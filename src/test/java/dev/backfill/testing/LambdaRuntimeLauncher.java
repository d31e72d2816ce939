package dev.backfill.testing;

import dev.backfill.local.lambda.FunctionArtifact;
import io.quarkus.test.common.ArtifactLauncher;
import io.quarkus.test.common.ListeningAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code @QuarkusIntegrationTest}s against {@code target/function.zip} the way Lambda runs it (the local stack's
 * {@link FunctionArtifact}: the zip unpacked as the task root; for a JVM build the AWS Runtime Interface Client calling
 * Quarkus' stream handler, as Lambda's java21 runtime does; for a native build its {@code bootstrap}, as
 * provided.al2023 does), taking events from Quarkus' Lambda event server through the runtime API. Everything the
 * function prints — standard output, where EMF documents go, as well as its log — is appended to
 * {@code target/function-it.log}, which {@link FunctionOutput} reads. Behind {@link LambdaRuntimeJarLauncher} and
 * {@link LambdaRuntimeNativeLauncher}.
 */
final class LambdaRuntimeLauncher implements AutoCloseable {

    private static final String TEST_API = "quarkus-internal.aws-lambda.test-api";

    /** Where the function's standard output and error go, appended, next to the zip: {@code target/function-it.log}. */
    static final String LOG_FILE = "function-it.log";

    /** How long the function may take to initialise and first poll the runtime API, on a loaded 2-core machine. */
    private static final int READY_SECONDS = 120;

    private final Map<String, String> systemProperties = new HashMap<>();
    private FunctionArtifact artifact;
    private RuntimeApiProxy proxy;
    private Process process;
    private volatile boolean closing;

    void includeAsSysProps(Map<String, String> properties) {
        systemProperties.putAll(properties);
    }

    /** Starts the zip found in {@code target}; the runtime API it polls leads to the event server. */
    Optional<ListeningAddress> start(Path target, ArtifactLauncher.InitContext context) throws IOException {
        String eventServer = systemProperties.get(TEST_API);
        if (eventServer == null) {
            throw new IllegalStateException("The Lambda event server's address (" + TEST_API + ") was not passed");
        }
        artifact = FunctionArtifact.unpack(target.resolve("function.zip"));
        proxy = new RuntimeApiProxy(eventServer);

        // The test's configuration reaches the function as system properties: before the main class on the JVM,
        // after the executable for a native binary (which reads -D arguments at run time). A native binary told the
        // event server's address would poll it directly; without it, it polls the runtime API as on Lambda.
        List<String> properties = new ArrayList<>();
        boolean nativeBuild = artifact.runtime() == FunctionArtifact.Runtime.PROVIDED_AL2023;
        if (!nativeBuild) {
            properties.addAll(context.argLine());
        }
        systemProperties.forEach((key, value) -> {
            if (!(nativeBuild && key.equals(TEST_API))) {
                properties.add("-D" + key + "=" + value);
            }
        });
        List<String> command = new ArrayList<>(artifact.command());
        command.addAll(nativeBuild ? command.size() : 1, properties);

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(artifact.taskRoot().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(target.resolve(LOG_FILE).toFile()));
        builder.environment().putAll(context.env());
        builder.environment().put("AWS_LAMBDA_RUNTIME_API", proxy.runtimeApi());
        builder.environment().put("LAMBDA_TASK_ROOT", artifact.taskRoot().toString());
        builder.environment().put("_HANDLER", FunctionArtifact.QUARKUS_HANDLER);
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "backfill-it");
        builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        process = builder.start();
        Path log = target.resolve(LOG_FILE);
        FunctionProcess.launched(process, log);
        // A dead function answers no invocation: fail the ones waiting, and all later ones, with the cause.
        process.onExit().thenAccept(exited -> {
            if (!closing) {
                proxy.answerEverythingWith(FunctionProcess.exited(exited, ""));
            }
        });
        awaitReady();
        // RestAssured needs a base address; the tests post to the event server's full URL.
        return Optional.of(new ListeningAddress(Integer.parseInt(eventServer.replaceAll("^[^:]+:(\\d+).*$", "$1")),
                "http"));
    }

    /**
     * Returns once the function has initialised and polls the runtime API; fails at once if its process exits first,
     * and after {@value #READY_SECONDS} s if it neither polls nor exits.
     */
    private void awaitReady() {
        try {
            CompletableFuture.anyOf(proxy.firstRequest(), process.onExit()).get(READY_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The function process (pid " + process.pid() + ") did not poll the "
                    + "runtime API within " + READY_SECONDS + " s of its start; " + FunctionProcess.tail());
        } catch (ExecutionException e) {
            throw new IllegalStateException("Waiting for the function process to poll the runtime API", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for the function process to poll the runtime API");
        }
        if (!proxy.firstRequest().isDone()) {
            throw new IllegalStateException(FunctionProcess.exited(process, " before it polled the runtime API"));
        }
    }

    @Override
    public void close() {
        closing = true;
        if (process != null) {
            FunctionProcess.closing(process);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (proxy != null) {
            proxy.close();
        }
        if (artifact != null) {
            artifact.close();
        }
    }
}
