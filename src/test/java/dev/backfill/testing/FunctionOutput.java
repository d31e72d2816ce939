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
 * What the packaged function printed, as {@link LambdaRuntimeJarLauncher} collects it in {@code target/}: mark the
 * end of the output before an invocation, then read the lines printed since.
 */
public final class FunctionOutput {

    private static final Path FILE = Path.of(System.getProperty("basedir", "."), "target",
            LambdaRuntimeJarLauncher.LOG_FILE);

    private final long from;

    private FunctionOutput(long from) {
        this.from = from;
    }

    /** Marks the end of the output so far. */
    public static FunctionOutput mark() {
        try {
            return new FunctionOutput(Files.exists(FILE) ? Files.size(FILE) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The non-blank lines printed since the mark, once one of them matches {@code expected}. */
    public List<String> awaitLine(Predicate<String> expected) {
        return await().atMost(Duration.ofSeconds(20)).until(this::lines,
                lines -> lines.stream().anyMatch(expected));
    }

    /** The non-blank lines printed since the mark. */
    public List<String> lines() throws IOException {
        if (!Files.exists(FILE)) {
            return List.of();
        }
        try (RandomAccessFile file = new RandomAccessFile(FILE.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            return Arrays.stream(new String(bytes, StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> !line.isBlank()).toList();
        }
    }
}
