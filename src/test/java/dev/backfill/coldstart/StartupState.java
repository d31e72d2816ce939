package dev.backfill.coldstart;

import static dev.backfill.coldstart.CompiledClasses.annotated;
import static dev.backfill.coldstart.CompiledClasses.javaName;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Finds values that must be unique or current but are made while the application starts: a random generator, a
 * random UUID or a reading of the clock in a static initializer (which a native build runs at build time, fixing the
 * value into the image), or in a CDI producer, bean constructor, {@code @PostConstruct} or start-up observer (which
 * run during Lambda's init phase, so a SnapStart snapshot hands the same value to every execution environment resumed
 * from it). Follows calls into the scanned classes; a lambda's body runs when called, so it is not followed.
 */
final class StartupState {

    /** One thing made at start-up that must not be. */
    record Finding(String method, String reachedFrom, String what) {

        @Override
        public String toString() {
            return method + (reachedFrom.equals(method) ? "" : " (reached from " + reachedFrom + ")") + " " + what;
        }
    }

    private static final Set<String> RANDOM_TYPES =
            Set.of("java/util/Random", "java/security/SecureRandom", "java/util/SplittableRandom");
    /** Static methods that return something unique or current, by owner. */
    private static final Map<String, Set<String>> VALUE_CALLS = Map.ofEntries(
            Map.entry("java/security/SecureRandom", Set.of("getInstance", "getInstanceStrong")),
            Map.entry("java/util/concurrent/ThreadLocalRandom", Set.of("current")),
            Map.entry("java/util/random/RandomGenerator", Set.of("of", "getDefault")),
            Map.entry("java/util/UUID", Set.of("randomUUID")),
            Map.entry("java/lang/Math", Set.of("random")),
            Map.entry("java/lang/StrictMath", Set.of("random")),
            Map.entry("java/lang/System", Set.of("currentTimeMillis", "nanoTime")),
            Map.entry("java/time/Instant", Set.of("now")),
            Map.entry("java/time/LocalDate", Set.of("now")),
            Map.entry("java/time/LocalDateTime", Set.of("now")),
            Map.entry("java/time/LocalTime", Set.of("now")),
            Map.entry("java/time/ZonedDateTime", Set.of("now")),
            Map.entry("java/time/OffsetDateTime", Set.of("now")),
            Map.entry("java/time/OffsetTime", Set.of("now")),
            // Reading an injected clock is as current as Instant.now().
            Map.entry("java/time/Clock", Set.of("instant", "millis")),
            Map.entry("java/time/InstantSource", Set.of("instant", "millis")));
    /** Annotations whose methods run at start-up. */
    private static final Set<String> STARTUP_METHODS = Set.of("Ljakarta/enterprise/inject/Produces;",
            "Ljakarta/annotation/PostConstruct;");
    private static final String OBSERVES = "Ljakarta/enterprise/event/Observes;";
    /** Annotations that make a class a bean created at start-up (its constructor and field initializers run). */
    private static final Set<String> BEANS = Set.of("Ljakarta/enterprise/context/ApplicationScoped;",
            "Ljakarta/inject/Singleton;", "Ljakarta/enterprise/context/Dependent;", "Ljakarta/inject/Named;",
            "Lio/quarkus/runtime/Startup;");

    private record Step(String owner, MethodNode method) {
    }

    private final CompiledClasses classes;

    private StartupState(CompiledClasses classes) {
        this.classes = classes;
    }

    static List<Finding> scan(CompiledClasses classes) {
        return new StartupState(classes).scan();
    }

    private List<Finding> scan() {
        List<Finding> findings = new ArrayList<>();
        for (ClassNode type : classes.all()) {
            for (MethodNode method : type.methods) {
                if (runsAtStartup(type, method)) {
                    findings.addAll(follow(type.name, method));
                }
            }
        }
        return findings;
    }

    private static boolean runsAtStartup(ClassNode type, MethodNode method) {
        return method.name.equals("<clinit>")
                || annotated(method.visibleAnnotations, STARTUP_METHODS)
                || annotated(method.invisibleAnnotations, STARTUP_METHODS)
                || observes(method)
                || method.name.equals("<init>") && (annotated(type.visibleAnnotations, BEANS)
                        || annotated(type.invisibleAnnotations, BEANS));
    }

    private static boolean observes(MethodNode method) {
        if (method.visibleParameterAnnotations == null) {
            return false;
        }
        for (var annotations : method.visibleParameterAnnotations) {
            if (annotated(annotations, Set.of(OBSERVES))) {
                return true;
            }
        }
        return false;
    }

    /** Everything {@code root} makes, directly or through calls into the scanned classes. */
    private List<Finding> follow(String owner, MethodNode root) {
        String rootName = javaName(owner) + "." + root.name;
        List<Finding> findings = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<Step> work = new ArrayDeque<>(List.of(new Step(owner, root)));
        while (!work.isEmpty()) {
            Step step = work.pop();
            MethodNode method = step.method();
            if (!seen.add(step.owner() + "." + method.name + method.desc)) {
                continue;
            }
            String where = javaName(step.owner()) + "." + method.name;
            for (AbstractInsnNode insn : method.instructions) {
                if (insn instanceof TypeInsnNode type && type.getOpcode() == Opcodes.NEW
                        && RANDOM_TYPES.contains(type.desc)) {
                    findings.add(new Finding(where, rootName, "creates " + javaName(type.desc)));
                } else if (insn instanceof MethodInsnNode call) {
                    if (VALUE_CALLS.getOrDefault(call.owner, Set.of()).contains(call.name)) {
                        findings.add(new Finding(where, rootName, "calls " + javaName(call.owner) + "." + call.name));
                    } else if (classes.contains(call.owner)) {
                        classes.method(call.owner, call.name, call.desc)
                                .ifPresent(callee -> work.push(new Step(call.owner, callee)));
                    }
                }
            }
        }
        return findings;
    }
}
