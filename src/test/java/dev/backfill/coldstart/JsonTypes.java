package dev.backfill.coldstart;

import static dev.backfill.coldstart.CompiledClasses.javaName;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * The application's types that Jackson reads or writes, found in the bytecode: the class literal given to
 * {@code Json.read} (or an {@code ObjectMapper}'s {@code readValue}, {@code treeToValue}, {@code convertValue}), the
 * static type of what is given to {@code Json.write}/{@code writeString} (or {@code writeValueAsBytes}/{@code
 * String}), a Lambda handler's request and answer types, and, through all of them, the types of record components.
 * Application types are this project's and the Lambda event classes; JDK and Jackson types need no registration.
 */
final class JsonTypes {

    private static final String JSON = "dev/backfill/Json";
    private static final String MAPPER = "com/fasterxml/jackson/databind/ObjectMapper";
    private static final Set<String> READS = Set.of("read", "readValue", "treeToValue", "convertValue");
    private static final Set<String> WRITES = Set.of("write", "writeString", "writeValueAsBytes",
            "writeValueAsString");
    private static final Pattern HANDLER = Pattern.compile(
            "Lcom/amazonaws/services/lambda/runtime/RequestHandler<(.*)>;");
    private static final Pattern CLASS_TYPE = Pattern.compile("L([\\w/$]+)");

    private final CompiledClasses classes;
    /** Each type found, with where it was first found. */
    private final Map<String, String> found = new LinkedHashMap<>();

    private JsonTypes(CompiledClasses classes) {
        this.classes = classes;
    }

    /** Application types read or written as JSON, by Java name, each with where the code uses it. */
    static Map<String, String> of(CompiledClasses classes) {
        JsonTypes types = new JsonTypes(classes).scan();
        types.addComponentsOf(List.copyOf(types.found.keySet()));
        return types.found;
    }

    /**
     * The types of {@link #of} that {@code registered} lacks, as {@code "type (where)"}; a registered type covers its
     * nested types, as {@code @RegisterForReflection} does unless told otherwise. The components of registered
     * records count as used too.
     */
    static List<String> missing(CompiledClasses classes, Collection<Class<?>> registered) {
        JsonTypes types = new JsonTypes(classes).scan();
        List<String> roots = new ArrayList<>(types.found.keySet());
        registered.forEach(type -> roots.add(type.getName()));
        types.addComponentsOf(roots);
        Set<String> covered = new HashSet<>();
        registered.forEach(type -> addWithNested(type, covered));
        return types.found.entrySet().stream().filter(use -> !covered.contains(use.getKey()))
                .map(use -> use.getKey() + " (" + use.getValue() + ")").toList();
    }

    private JsonTypes scan() {
        for (ClassNode type : classes.all()) {
            handlerTypes(type);
            for (MethodNode method : type.methods) {
                calls(type.name, method);
            }
        }
        return this;
    }

    private void handlerTypes(ClassNode type) {
        Matcher handler = type.signature == null ? null : HANDLER.matcher(type.signature);
        if (handler != null && handler.find()) {
            Matcher classType = CLASS_TYPE.matcher(handler.group(1));
            while (classType.find()) {
                use(classType.group(1), "request or answer of the handler " + javaName(type.name));
            }
        }
    }

    private void calls(String owner, MethodNode method) {
        Frame<BasicValue>[] frames = null;
        AbstractInsnNode[] insns = method.instructions.toArray();
        for (int i = 0; i < insns.length; i++) {
            if (!(insns[i] instanceof MethodInsnNode call) || !(call.owner.equals(JSON) || call.owner.equals(MAPPER))) {
                continue;
            }
            String where = javaName(owner) + "." + method.name;
            if (READS.contains(call.name) && call.desc.contains("Ljava/lang/Class;)")
                    && previous(call) instanceof LdcInsnNode ldc && ldc.cst instanceof org.objectweb.asm.Type t) {
                use(t.getInternalName(), "read in " + where);
            } else if (WRITES.contains(call.name) && call.desc.startsWith("(Ljava/lang/Object;)")) {
                frames = frames != null ? frames : analyze(owner, method);
                BasicValue argument = frames[i].getStack(frames[i].getStackSize() - 1);
                if (argument.getType() != null && argument.getType().getSort() == org.objectweb.asm.Type.OBJECT) {
                    use(argument.getType().getInternalName(), "written in " + where);
                }
            }
        }
    }

    /** The instruction before {@code insn}, skipping labels and line numbers. */
    private static AbstractInsnNode previous(AbstractInsnNode insn) {
        AbstractInsnNode previous = insn.getPrevious();
        while (previous != null && previous.getOpcode() < 0) {
            previous = previous.getPrevious();
        }
        return previous;
    }

    private static Frame<BasicValue>[] analyze(String owner, MethodNode method) {
        SimpleVerifier verifier = new SimpleVerifier();
        verifier.setClassLoader(JsonTypes.class.getClassLoader());
        try {
            return new Analyzer<>(verifier).analyze(owner, method);
        } catch (AnalyzerException e) {
            throw new IllegalStateException("Cannot analyze " + javaName(owner) + "." + method.name, e);
        }
    }

    /** Adds the application types of the components of {@code roots}' records, and theirs, to what was found. */
    private void addComponentsOf(Collection<String> roots) {
        Deque<String> work = new ArrayDeque<>(roots);
        Set<String> seen = new HashSet<>();
        while (!work.isEmpty()) {
            String name = work.pop();
            Class<?> type = load(name);
            if (!seen.add(name) || type == null || !type.isRecord()) {
                continue;
            }
            for (RecordComponent component : type.getRecordComponents()) {
                for (Class<?> used : classesIn(component.getGenericType())) {
                    if (use(used.getName().replace('.', '/'), "component " + component.getName() + " of "
                            + type.getName())) {
                        work.push(used.getName());
                    }
                }
            }
        }
    }

    /** Records an application type; true if it is one. */
    private boolean use(String internalName, String where) {
        if (!internalName.startsWith("dev/backfill/")
                && !internalName.startsWith("com/amazonaws/services/lambda/runtime/events/")) {
            return false;
        }
        found.putIfAbsent(javaName(internalName), where);
        return true;
    }

    private static List<Class<?>> classesIn(Type type) {
        List<Class<?>> all = new ArrayList<>();
        if (type instanceof Class<?> raw) {
            all.add(raw.isArray() ? raw.getComponentType() : raw);
        } else if (type instanceof ParameterizedType parameterized) {
            all.addAll(classesIn(parameterized.getRawType()));
            for (Type argument : parameterized.getActualTypeArguments()) {
                all.addAll(classesIn(argument));
            }
        }
        return all;
    }

    private static void addWithNested(Class<?> type, Set<String> into) {
        into.add(type.getName());
        for (Class<?> nested : type.getDeclaredClasses()) {
            addWithNested(nested, into);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name.replace('/', '.'), false, JsonTypes.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
