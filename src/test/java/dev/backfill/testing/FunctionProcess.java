package dev.backfill.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The packaged function's process that {@link LambdaRuntimeLauncher} runs for a {@code @QuarkusIntegrationTest}, as a
 * test that waits on it sees it: a wait must end as soon as the process is dead, with its exit code and the tail of
 * its log as the cause. Without a launched process (a {@code @QuarkusTest} in this JVM) there is nothing to check.
 */
public final class FunctionProcess {

    private static final int TAIL_LINES = 40;
    private static volatile Process current;
    private static volatile Path log;

    private FunctionProcess() {
    }

    static void launched(Process process, Path logFile) {
        log = logFile;
        current = process;
    }

    static void closing(Process process) {
        if (current == process) {
            current = null;
        }
    }

    /** Throws, naming the exit code and the end of the function's log, if the launched function process is dead. */
    public static void assertAlive() {
        Optional<String> death = death();
        if (death.isPresent()) {
            throw new AssertionError(death.get());
        }
    }

    /** Why the launched function cannot answer any more, if its process has exited. */
    static Optional<String> death() {
        Process process = current;
        if (process == null || process.isAlive()) {
            return Optional.empty();
        }
        return Optional.of(exited(process, "").trim());
    }

    /** "The function process (pid …) exited with code …{when}; the last lines of its log: …". */
    static String exited(Process process, String when) {
        return "The function process (pid " + process.pid() + ") exited with code " + process.exitValue() + when
                + "; " + tail();
    }

    /** The last lines of the function's log, for a failure message. */
    static String tail() {
        Path file = log;
        if (file == null || !Files.exists(file)) {
            return "it wrote no log (" + file + ")";
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "the last lines of " + file + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "its log " + file + " cannot be read: " + e;
        }
    }
}
