package dev.backfill.testing;

import io.quarkus.test.common.ListeningAddress;
import io.quarkus.test.common.NativeImageLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Quarkus' launcher for a native build's {@code @QuarkusIntegrationTest}s, registered through
 * {@code META-INF/services/io.quarkus.test.common.NativeImageLauncher}: the zip's {@code bootstrap} polling the runtime
 * API, as provided.al2023 runs it ({@link LambdaRuntimeLauncher}). Quarkus' own native launcher would leave the
 * binary's standard output, where the EMF documents go, to the build's console, out of the tests' reach.
 */
public class LambdaRuntimeNativeLauncher implements NativeImageLauncher {

    private final LambdaRuntimeLauncher launcher = new LambdaRuntimeLauncher();
    private NativeImageInitContext context;

    @Override
    public void init(NativeImageInitContext context) {
        this.context = context;
    }

    @Override
    public void includeAsSysProps(Map<String, String> properties) {
        launcher.includeAsSysProps(properties);
    }

    @Override
    public Optional<ListeningAddress> start() throws IOException {
        return launcher.start(target(), context);
    }

    /** The build's output directory, where the zip is: Quarkus passes the binary's path only when configured to. */
    private Path target() {
        if (context.nativeImagePath() != null) {
            return Path.of(context.nativeImagePath()).toAbsolutePath().getParent();
        }
        if (context.getConfiguredOutputDirectory() != null) {
            return Path.of(context.getConfiguredOutputDirectory()).toAbsolutePath();
        }
        return Path.of(System.getProperty("basedir", "."), "target").toAbsolutePath();
    }

    @Override
    public LaunchResult runToCompletion(String[] args) {
        throw new IllegalStateException("A Lambda function does not run to completion; invoke it through the event server");
    }

    @Override
    public void close() {
        launcher.close();
    }
}
