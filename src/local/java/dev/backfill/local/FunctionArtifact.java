package dev.backfill.local;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Where the runtime interface client loads its native library from, if set. */
    private static final String JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

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
            return new FunctionArtifact(workDir, taskRoot, Runtime.PROVIDED_AL2023, List.of(bootstrap.toString()));
        }
        return new FunctionArtifact(workDir, taskRoot, Runtime.JAVA21, jvmCommand(workDir));
    }

    /** The unpacked zip: the working directory of every process, as {@code /var/task} is on Lambda. */
    public Path taskRoot() {
        return taskRoot;
    }

    public Runtime runtime() {
        return runtime;
    }

    /** What runs the zip, for people: the runtime and the client of the runtime API. */
    String describe() {
        if (runtime == Runtime.PROVIDED_AL2023) {
            return "provided.al2023, its bootstrap";
        }
        return command.contains("portable") ? "java21, portable runtime loop" : "java21, AWS runtime interface client";
    }

    public List<String> command() {
        return command;
    }

    /**
     * The same task root run by {@code command} instead, e.g. with other JVM options; closing it leaves the task
     * root to this artifact.
     */
    public FunctionArtifact withCommand(List<String> command) {
        return new FunctionArtifact(null, taskRoot, runtime, command);
    }

    /**
     * {@code java} with the flags of Lambda's Java runtimes (C1 only, serial GC), the runtime interface client and
     * its dependencies on the class path; the client loads the function from the task root with its own class
     * loader. {@link ChildGuard} runs first so the process ends when the local stack does, even if it is killed.
     */
    private static List<String> jvmCommand(Path workDir) throws IOException {
        Path guardDir = workDir.resolve("guard");
        ChildGuard.installInto(guardDir);
        List<String> classPath = new ArrayList<>();
        classPath.add(guardDir.toString());
        for (String className : List.of(RIC_MAIN, "com.amazonaws.services.lambda.runtime.Context",
                "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
                "software.amazon.awssdk.utilslite.SdkInternalThreadLocal")) {
            classPath.add(jarOf(className).toString());
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp", String.join(File.pathSeparator, classPath)));
        if (portable()) {
            command.addAll(List.of(ChildGuard.class.getName(), "portable", QUARKUS_HANDLER));
        } else {
            command.add(1, "-D" + JNI_PROPERTY + "=" + unpackNativeClient(workDir.resolve("libaws-lambda-jni.so")));
            command.addAll(List.of(ChildGuard.class.getName(), "ric", QUARKUS_HANDLER));
        }
        return command;
    }

    /**
     * The runtime interface client's native code is built for Linux only; elsewhere (or with
     * {@code -Dbackfill.local.runtime-client=portable}) {@link PortableRuntimeClient} runs the loop instead.
     */
    private static boolean portable() {
        return !System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                || "portable".equals(System.getProperty("backfill.local.runtime-client"));
    }

    /**
     * The client's native library, unpacked once for all processes: left to itself, each process unpacks it to the
     * same fixed path, {@code /tmp/.libaws-lambda-jni.so}, and processes starting together crash loading it.
     */
    private static Path unpackNativeClient(Path target) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        boolean musl = Files.exists(Path.of("/lib/ld-musl-" + (arch.equals("x86_64") ? "x86_64" : "aarch64")
                + ".so.1"));
        String resource = "/jni/libaws-lambda-jni.linux" + (musl ? "_musl-" : "-") + arch + ".so";
        try (InputStream in = AWSLambda.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The runtime interface client has no native library " + resource);
            }
            Files.copy(in, target);
        }
        return target;
    }

    private static Path jarOf(String className) {
        try {
            Class<?> type = Class.forName(className, false, AWSLambda.class.getClassLoader());
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException | RuntimeException e) {
            throw new IllegalStateException("Cannot find the jar of " + className + " on the test class path; "
                    + "the local stack needs aws-lambda-java-runtime-interface-client (test scope)", e);
        }
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
