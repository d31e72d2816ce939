package dev.backfill.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the packaged function printed: mark the end of the output before an invocation, then read the lines printed
 * since, from where {@link LambdaRuntimeLauncher} collects them for a JVM or a native zip.
 */
public final class FunctionOutput {

    private static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");
    private static final Path OUTPUT = TARGET.resolve(LambdaRuntimeLauncher.LOG_FILE);

    private final Path file;
    private final long from;

    private FunctionOutput(Path file, long from) {
        this.file = file;
        this.from = from;
    }

    /** Marks the end of the output so far. */
    public static FunctionOutput mark() {
        try {
            return new FunctionOutput(OUTPUT, Files.exists(OUTPUT) ? Files.size(OUTPUT) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The non-blank lines printed since the mark, once one of them matches {@code expected}; fails at once if the
     * function process is dead.
     */
    public List<String> awaitLine(Predicate<String> expected) {
        return await("a line matching the expectation printed by the function to " + file + " since byte " + from)
                .atMost(Duration.ofSeconds(20))
                .failFast("the function process is dead", FunctionProcess::assertAlive)
                .until(this::lines, lines -> lines.stream().anyMatch(expected));
    }

    /** The non-blank lines printed since the mark. */
    public List<String> lines() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile output = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, output.length() - from)];
            output.seek(from);
            output.readFully(bytes);
            return Arrays.stream(new String(bytes, StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> !line.isBlank()).toList();
        }
    }
}
