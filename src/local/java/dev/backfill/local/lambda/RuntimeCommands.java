package dev.backfill.local.lambda;

import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The commands that run a function zip's process the way Lambda's runtimes do: {@code java21} (the AWS runtime
 * interface client with Quarkus' stream handler; the runtime's own launcher is not public) and
 * {@code provided.al2023} (the zip's {@code bootstrap}). Each process ends when the local stack does.
 */
final class RuntimeCommands {

    /**
     * Lambda's java17 and java21 runtimes stop tiered compilation at level 1 (C1 only) by default (Lambda Developer
     * Guide, "Customize Java runtime startup behavior"); so do the JVM processes here, unless the function sets
     * {@code JAVA_TOOL_OPTIONS}, which then decides, so that either setting can be measured.
     */
    private static final List<String> TIERED_DEFAULTS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
    private static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Where the runtime interface client loads its native library from, if set. */
    private static final String JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    /**
     * Runs a native {@code bootstrap} and ends it when standard input closes, as {@link ChildGuard} does for the JVM
     * build: the local stack's end (even {@code kill -9}) closes the pipe. Without it an orphaned bootstrap would poll
     * the gone runtime API for ever.
     */
    private static final String NATIVE_GUARD = """
            exec 3<&0 </dev/null
            "$@" &
            child=$!
            trap 'kill -TERM "$child" 2>/dev/null' TERM INT HUP
            (cat <&3 >/dev/null; kill -TERM "$child" 2>/dev/null) &
            exec 3<&-
            while kill -0 "$child" 2>/dev/null; do wait "$child"; done
            """;

    private RuntimeCommands() {
    }

    /** The zip's {@code bootstrap}, under a guard that ends it when its standard input closes. */
    static List<String> providedAl2023(Path workDir, Path bootstrap) throws IOException {
        Path guard = workDir.resolve("guard").resolve("native-guard.sh");
        Files.createDirectories(guard.getParent());
        Files.writeString(guard, NATIVE_GUARD);
        return List.of("/bin/sh", guard.toString(), bootstrap.toString());
    }

    /** {@code command} without the runtime's default tiered compilation flags. */
    static List<String> withoutTieredDefaults(List<String> command) {
        return command.stream().filter(argument -> !TIERED_DEFAULTS.contains(argument)).toList();
    }

    /**
     * {@code java} with the flags of Lambda's Java runtimes (C1 only, serial GC), the runtime interface client and
     * its dependencies on the class path; the client loads the function from the task root with its own class
     * loader. {@link ChildGuard} runs first so the process ends when the local stack does, even if it is killed.
     */
    static List<String> java21(Path workDir) throws IOException {
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
                .toString()));
        command.addAll(TIERED_DEFAULTS);
        command.addAll(List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                String.join(File.pathSeparator, classPath)));
        if (portable()) {
            command.addAll(List.of(ChildGuard.class.getName(), "portable", FunctionArtifact.QUARKUS_HANDLER));
        } else {
            command.add(1, "-D" + JNI_PROPERTY + "=" + unpackNativeClient(workDir.resolve("libaws-lambda-jni.so")));
            command.addAll(List.of(ChildGuard.class.getName(), "ric", FunctionArtifact.QUARKUS_HANDLER));
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
}
