package dev.backfill.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A JVM command whose class path directories are replaced by jars of their content: class-data sharing refuses a
 * class path with a non-empty directory ("Cannot have non-empty directory in paths"), and the local stack puts the
 * classes of its process guard in one.
 */
final class JarredClassPath {

    private JarredClassPath() {
    }

    static List<String> of(List<String> command, Path jars) throws IOException {
        List<String> jarred = new ArrayList<>(command);
        int classPath = jarred.indexOf("-cp") + 1;
        if (classPath == 0) {
            throw new IllegalArgumentException("No -cp in " + command);
        }
        List<String> entries = new ArrayList<>();
        for (String entry : jarred.get(classPath).split(File.pathSeparator)) {
            Path path = Path.of(entry);
            entries.add(Files.isDirectory(path) ? jar(path, jars.resolve(path.getFileName() + ".jar")).toString()
                    : entry);
        }
        jarred.set(classPath, String.join(File.pathSeparator, entries));
        return jarred;
    }

    private static Path jar(Path directory, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(directory.relativize(file).toString().replace(File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
