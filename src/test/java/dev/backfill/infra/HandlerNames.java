package dev.backfill.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The {@code @Named} Lambda handlers in the source, which QUARKUS_LAMBDA_HANDLER selects at run time. */
final class HandlerNames {

    private static final Pattern NAMED_HANDLER = Pattern.compile(
            "@Named\\(\"([^\"]+)\"\\)\\s*public\\s+(?:final\\s+)?class\\s+\\w+\\s+implements\\s+[^{]*RequestHandler\\b");

    private HandlerNames() {
    }

    /** The names of the classes in {@code sourceDirectory} that are {@code @Named} and implement RequestHandler. */
    static Set<String> in(Path sourceDirectory) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(sourceDirectory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = NAMED_HANDLER.matcher(Files.readString(file));
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read handler sources in " + sourceDirectory, e);
        }
        return names;
    }
}
