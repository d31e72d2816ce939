package dev.backfill.local.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The deployed function zip, unpacked once into a temporary task root that every function process shares, and the
 * command that runs it the way Lambda does: a native build's {@code bootstrap}, or for the JVM build the AWS runtime
 * interface client with Quarkus' stream handler (the java21 runtime's own launcher is not public).
 */
public final class FunctionArtifact implements AutoCloseable {

    /** The handler the java21 runtime is configured with for a Quarkus JVM function zip. */
    public static final String QUARKUS_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    /** The Lambda runtime the zip is built for. */
    public enum Runtime {
        /** A Quarkus JVM build: classes and {@code lib/*.jar}. */
        JAVA21,
        /** A native build: an executable {@code bootstrap}. */
        PROVIDED_AL2023
    }

    private final Path workDir;
    private final Path taskRoot;
    private final Runtime runtime;
    private final List<String> command;

    private FunctionArtifact(Path workDir, Path taskRoot, Runtime runtime, List<String> command) {
        this.workDir = workDir;
        this.taskRoot = taskRoot;
        this.runtime = runtime;
        this.command = List.copyOf(command);
    }

    /** Unpacks {@code zip}; throws if it is missing, with the command that builds it. */
    public static FunctionArtifact unpack(Path zip) throws IOException {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Function zip " + zip.toAbsolutePath() + " not found: build it with "
                    + "'make package' (mvn package -DskipTests)");
        }
        Path workDir = Files.createTempDirectory("backfill-local-");
        Path taskRoot = workDir.resolve("task");
        unzip(zip, taskRoot);
        Path bootstrap = taskRoot.resolve("bootstrap");
        if (Files.isRegularFile(bootstrap)) {
            // Zip entries carry no permission bits through java.util.zip; Lambda runs bootstrap as an executable.
            bootstrap.toFile().setExecutable(true);
            return new FunctionArtifact(workDir, taskRoot, Runtime.PROVIDED_AL2023,
                    RuntimeCommands.providedAl2023(workDir, bootstrap));
        }
        return new FunctionArtifact(workDir, taskRoot, Runtime.JAVA21, RuntimeCommands.java21(workDir));
    }

    /** The unpacked zip: the working directory of every process, as {@code /var/task} is on Lambda. */
    public Path taskRoot() {
        return taskRoot;
    }

    public Runtime runtime() {
        return runtime;
    }

    /** What runs the zip, for people: the runtime and the client of the runtime API. */
    public String describe() {
        if (runtime == Runtime.PROVIDED_AL2023) {
            return "provided.al2023, its bootstrap";
        }
        return command.contains("portable") ? "java21, portable runtime loop" : "java21, AWS runtime interface client";
    }

    public List<String> command() {
        return command;
    }

    /**
     * The command for a process with this environment: {@link #command()}, less the tiered compilation defaults when
     * the environment sets {@code JAVA_TOOL_OPTIONS}.
     */
    public List<String> command(Map<String, String> environment) {
        if (runtime != Runtime.JAVA21 || !environment.containsKey("JAVA_TOOL_OPTIONS")) {
            return command;
        }
        return RuntimeCommands.withoutTieredDefaults(command);
    }

    private static void unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("Zip entry " + entry.getName() + " points outside the task root");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }

    /**
     * The same task root run by {@code command} instead, e.g. with other JVM options; closing it leaves the task
     * root to this artifact.
     */
    public FunctionArtifact withCommand(List<String> command) {
        return new FunctionArtifact(null, taskRoot, runtime, List.copyOf(command));
    }

    @Override
    public void close() {
        if (workDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + workDir, e);
        }
    }
}
