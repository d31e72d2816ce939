package dev.backfill.testing;

import io.quarkus.test.common.JarArtifactLauncher;
import io.quarkus.test.common.ListeningAddress;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Quarkus' launcher for a JVM build's {@code @QuarkusIntegrationTest}s, registered through
 * {@code META-INF/services/io.quarkus.test.common.JarArtifactLauncher}: the zip under Lambda's java21 runtime
 * interface client ({@link LambdaRuntimeLauncher}). A plain {@code java -jar} of the runner would never poll in JVM mode.
 */
public class LambdaRuntimeJarLauncher implements JarArtifactLauncher {

    /** Where the function's standard output and error go, appended, next to the zip. */
    public static final String LOG_FILE = LambdaRuntimeLauncher.LOG_FILE;

    private final LambdaRuntimeLauncher launcher = new LambdaRuntimeLauncher();
    private JarInitContext context;

    @Override
    public void init(JarInitContext context) {
        this.context = context;
    }

    @Override
    public void includeAsSysProps(Map<String, String> properties) {
        launcher.includeAsSysProps(properties);
    }

    @Override
    public Optional<ListeningAddress> start() throws IOException {
        return launcher.start(context.jarPath().getParent(), context);
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
