package dev.backfill.testing;

import io.quarkus.test.common.JarArtifactLauncher;
import io.quarkus.test.common.ListeningAddress;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Runs {@code @QuarkusIntegrationTest}s against {@code target/function.zip} the way Lambda's java21 runtime runs it:
 * the zip unpacked, {@code lib/*} on the class path, and the AWS Runtime Interface Client calling Quarkus' stream
 * handler for each event it takes from the runtime API, here Quarkus' Lambda event server. A plain {@code java -jar}
 * of the runner would never poll in JVM mode. Registered for Quarkus' jar launcher through
 * {@code META-INF/services/io.quarkus.test.common.JarArtifactLauncher}.
 */
public class LambdaRuntimeJarLauncher implements JarArtifactLauncher {

    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    private static final String TEST_API = "quarkus-internal.aws-lambda.test-api";

    private final Map<String, String> systemProperties = new HashMap<>();
    private JarInitContext context;
    private Process process;
    private Path unpacked;
    private RuntimeApiProxy proxy;

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
        Path target = context.jarPath().getParent();
        unpacked = unzip(target.resolve("function.zip"));
        String eventServer = systemProperties.get(TEST_API);
        if (eventServer == null) {
            throw new IllegalStateException("The Lambda event server's address (" + TEST_API + ") was not passed");
        }
        proxy = new RuntimeApiProxy(eventServer);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(context.argLine());
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, unpacked.toString(), unpacked.resolve("lib") + "/*",
                jarOf(RIC_MAIN), jarOf("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer")));
        command.add(RIC_MAIN);
        command.add(HANDLER);

        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(target.resolve("function-it.log").toFile()));
        builder.environment().putAll(context.env());
        builder.environment().put("AWS_LAMBDA_RUNTIME_API", proxy.runtimeApi());
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
    public void close() throws IOException {
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
        if (unpacked != null) {
            try (Stream<Path> files = Files.walk(unpacked)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Path unzip(Path zip) throws IOException {
        Path dir = Files.createTempDirectory("backfill-function-");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path to = dir.resolve(entry.getName()).normalize();
                if (!to.startsWith(dir)) {
                    throw new IOException("Zip entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy((InputStream) in, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return dir;
    }

    private static String jarOf(String className) {
        try {
            return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("Cannot find the jar of " + className + " on the test class path", e);
        }
    }
}
