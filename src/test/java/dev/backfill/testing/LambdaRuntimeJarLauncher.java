package dev.backfill.testing;

import dev.backfill.local.lambda.FunctionArtifact;
import io.quarkus.test.common.JarArtifactLauncher;
import io.quarkus.test.common.ListeningAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code @QuarkusIntegrationTest}s against {@code target/function.zip} the way Lambda's java21 runtime runs it
 * (the local stack's {@link FunctionArtifact}: the zip unpacked as the task root, the AWS Runtime Interface Client
 * calling Quarkus' stream handler), taking events from Quarkus' Lambda event server. A plain {@code java -jar} of the
 * runner would never poll in JVM mode. Registered for Quarkus' jar launcher through
 * {@code META-INF/services/io.quarkus.test.common.JarArtifactLauncher}; a native build uses Quarkus' own launcher.
 */
public class LambdaRuntimeJarLauncher implements JarArtifactLauncher {

    private static final String TEST_API = "quarkus-internal.aws-lambda.test-api";

    /** Where the function's standard output and error go, appended, next to the zip: {@code target/function-it.log}. */
    public static final String LOG_FILE = "function-it.log";

    private final Map<String, String> systemProperties = new HashMap<>();
    private JarInitContext context;
    private FunctionArtifact artifact;
    private RuntimeApiProxy proxy;
    private Process process;

    @Override
    public void init(JarInitContext context) {
        this.context = context;
    }

    @Override
    public void includeAsSysProps(Map<String, String> properties) {
        systemProperties.putAll(properties);
    }

    @Override
    public Optional<ListeningAddress> start() throws IOException {
        String eventServer = systemProperties.get(TEST_API);
        if (eventServer == null) {
            throw new IllegalStateException("The Lambda event server's address (" + TEST_API + ") was not passed");
        }
        Path target = context.jarPath().getParent();
        artifact = FunctionArtifact.unpack(target.resolve("function.zip"));
        proxy = new RuntimeApiProxy(eventServer);

        // The test's configuration reaches the function as system properties, before the main class.
        List<String> command = new ArrayList<>(artifact.command());
        List<String> properties = new ArrayList<>(context.argLine());
        systemProperties.forEach((key, value) -> properties.add("-D" + key + "=" + value));
        command.addAll(1, properties);

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
        // RestAssured needs a base address; the tests post to the event server's full URL.
        return Optional.of(new ListeningAddress(Integer.parseInt(eventServer.replaceAll("^[^:]+:(\\d+).*$", "$1")),
                "http"));
    }

    @Override
    public LaunchResult runToCompletion(String[] args) {
        throw new IllegalStateException("A Lambda function does not run to completion; invoke it through the event server");
    }

    @Override
    public void close() {
        if (process != null) {
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
