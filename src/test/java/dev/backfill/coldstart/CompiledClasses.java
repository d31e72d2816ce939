package dev.backfill.coldstart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/** Compiled classes read with ASM, by internal name ({@code dev/backfill/Json}), for checks of the bytecode. */
final class CompiledClasses {

    /** The classes {@code mvn compile} writes: what the function zip and a native image are built from. */
    static final Path MAIN = Path.of("target", "classes");

    private final Map<String, ClassNode> classes;

    private CompiledClasses(Map<String, ClassNode> classes) {
        this.classes = classes;
    }

    /** Every class file under {@code root}. */
    static CompiledClasses under(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("No compiled classes in " + root.toAbsolutePath() + "; run mvn compile");
        }
        Map<String, ClassNode> classes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    ClassNode node = read(in);
                    classes.put(node.name, node);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the classes under " + root, e);
        }
        return new CompiledClasses(classes);
    }

    /** The given classes only, as a check's fixtures. */
    static CompiledClasses of(Class<?>... types) {
        Map<String, ClassNode> classes = new LinkedHashMap<>();
        for (Class<?> type : types) {
            String resource = "/" + type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Class file of " + type.getName() + " not found");
                }
                ClassNode node = read(in);
                classes.put(node.name, node);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the class file of " + type.getName(), e);
            }
        }
        return new CompiledClasses(classes);
    }

    Collection<ClassNode> all() {
        return classes.values();
    }

    boolean contains(String internalName) {
        return classes.containsKey(internalName);
    }

    /** The method {@code name desc} of {@code owner} or of its nearest superclass among these classes. */
    Optional<MethodNode> method(String owner, String name, String desc) {
        for (ClassNode type = classes.get(owner); type != null; type = classes.get(type.superName)) {
            for (MethodNode method : type.methods) {
                if (method.name.equals(name) && method.desc.equals(desc)) {
                    return Optional.of(method);
                }
            }
        }
        return Optional.empty();
    }

    /** {@code dev/backfill/Json} as {@code dev.backfill.Json}. */
    static String javaName(String internalName) {
        return internalName.replace('/', '.');
    }

    static boolean annotated(List<org.objectweb.asm.tree.AnnotationNode> annotations, Collection<String> descriptors) {
        return annotations != null && annotations.stream().anyMatch(a -> descriptors.contains(a.desc));
    }

    private static ClassNode read(InputStream in) throws IOException {
        ClassNode node = new ClassNode();
        new ClassReader(in).accept(node, ClassReader.SKIP_FRAMES);
        return node;
    }
}
