package dev.backfill.bench;

import dev.backfill.bench.Figure.Verdict;
import dev.backfill.local.lambda.FunctionArtifact;
import dev.backfill.local.lambda.InvocationResult;
import dev.backfill.local.lambda.LambdaFunction;
import dev.backfill.testing.LocalServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * P6: process start to first response of the packaged dispatcher and worker, each a fresh process of
 * {@code target/function.zip} under the AWS runtime interface client launched by the local stack's
 * {@link LambdaFunction}: with the JDK's defaults, with the flags of Lambda's java21 runtime (C1 only, serial GC: what
 * the local stack runs), and with those plus an application class-data sharing archive made from the zip by one
 * training run ({@code -XX:ArchiveClassesAtExit}, then {@code -XX:SharedArchiveFile} in {@code JAVA_TOOL_OPTIONS}, as
 * one would set it on Lambda). The variants take turns, {@value #ROUNDS} rounds; medians.
 */
final class ColdStartBench {

    private static final Path ZIP = Path.of("target", "function.zip");
    private static final int ROUNDS = 3;
    private static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    private final FunctionFixture fixture;
    private final Path work = Bench.OUTPUT.resolve("cold-start").toAbsolutePath();

    ColdStartBench(LocalServers servers) {
        this.fixture = new FunctionFixture(servers);
    }

    /** One cold start: seconds to the first response, and CPU seconds the process spent until then. */
    private record Sample(double seconds, double cpuSeconds) {
    }

    /** How a function is started: its command and what is laid over its environment per handler. */
    private record Variant(String name, FunctionArtifact artifact, Map<String, Map<String, String>> environment) {
    }

    Section run() throws Exception {
        Files.createDirectories(work);
        try (FunctionArtifact zip = FunctionArtifact.unpack(ZIP)) {
            if (zip.runtime() != FunctionArtifact.Runtime.JAVA21) {
                throw new IllegalStateException("P6 measures the JVM build; " + ZIP + " is a native build");
            }
            // The same class path, of jars only, for every variant: class-data sharing needs it so.
            List<String> java21 = JarredClassPath.of(zip.command(), work);
            FunctionArtifact lambda = zip.withCommand(java21);
            List<String> plain = new ArrayList<>(java21);
            plain.removeAll(LAMBDA_FLAGS);
            Map<String, Map<String, String>> archives = new LinkedHashMap<>();
            for (String handler : List.of(FunctionFixture.DISPATCHER, FunctionFixture.WORKER)) {
                archives.put(handler, Map.of("JAVA_TOOL_OPTIONS", "-XX:SharedArchiveFile=" + train(lambda, handler)));
            }
            List<Variant> variants = List.of(
                    new Variant("JDK defaults (C2, G1)", zip.withCommand(plain), Map.of()),
                    new Variant("java21 flags (C1 only, serial GC)", lambda, Map.of()),
                    new Variant("java21 flags + AppCDS archive", lambda, archives));
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            for (int round = 0; round < ROUNDS; round++) {
                for (Variant variant : variants) {
                    for (String handler : archives.keySet()) {
                        samples.computeIfAbsent(handler + "|" + variant.name(), k -> new ArrayList<>())
                                .add(coldStart(variant.artifact(), handler, variant.environment()
                                        .getOrDefault(handler, Map.of())));
                    }
                }
            }
            return section(variants, archives.keySet(), samples);
        }
    }

    /** Runs {@code handler} once with the archive being written as it exits; returns the archive. */
    private Path train(FunctionArtifact zip, String handler) throws Exception {
        Path archive = work.resolve(handler + ".jsa");
        Files.deleteIfExists(archive);
        coldStart(zip, handler, Map.of("JAVA_TOOL_OPTIONS", "-XX:ArchiveClassesAtExit=" + archive));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("The training run of the " + handler + " wrote no archive; see " + work);
        }
        return archive;
    }

    private Sample coldStart(FunctionArtifact artifact, String handler, Map<String, String> environment)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        try (LambdaFunction function = LambdaFunction.start(fixture.spec(handler, environment), artifact, work)) {
            InvocationResult result = function.invoke(fixture.request(handler));
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpu = childCpuSeconds();
            String answer = new String(result.payload(), StandardCharsets.UTF_8);
            if (result.failed() || !FunctionFixture.succeeded(handler, answer)) {
                throw new IllegalStateException("The " + handler + " answered " + answer + "; see " + work);
            }
            return new Sample(seconds, cpu);
        }
    }

    /** CPU time of this JVM's live child process: the function's, the only one running. */
    private static double childCpuSeconds() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .map(child -> child.info().totalCpuDuration()).flatMap(Optional::stream)
                .mapToLong(Duration::toNanos).max().orElse(-1) / 1e9;
    }

    private static Section section(List<Variant> variants, Iterable<String> handlers,
                                   Map<String, List<Sample>> samples) {
        List<Figure> figures = new ArrayList<>();
        for (String handler : handlers) {
            Sample previous = null;
            String previousName = null;
            for (Variant variant : variants) {
                Sample median = median(samples.get(handler + "|" + variant.name()));
                figures.add(new Figure("P6 cold start, " + handler + ", " + variant.name(), null,
                        String.format("%.2f s (CPU %.2f s)", median.seconds(), median.cpuSeconds()),
                        previous == null ? null : String.format("%.2f s (%s)", previous.seconds(), previousName),
                        previous == null ? null : Figure.times(previous.seconds() / median.seconds(), "faster"),
                        Verdict.INFO, Map.of("seconds", median.seconds(), "cpuSeconds", median.cpuSeconds(),
                        "samples", samples.get(handler + "|" + variant.name()))));
                previous = median;
                previousName = variant.name().replaceFirst(" \\(.*", "");
            }
        }
        return new Section("P6", "cold start", "process start to first response of target/function.zip under the "
                + "AWS runtime interface client (the local stack's FunctionArtifact and LambdaFunction; the first "
                + "response is the dispatcher's one-day backfill, or the worker committing one window on the "
                + "embedded S3 and SQS); JDK defaults, then Lambda java21's flags (C1 only, serial GC, as the local "
                + "stack runs it), then those plus an AppCDS archive from one training run per function; "
                + ROUNDS + " rounds taking turns, medians; CPU = the function process's own", figures);
    }

    private static Sample median(List<Sample> samples) {
        List<Sample> sorted = samples.stream().sorted((a, b) -> Double.compare(a.seconds(), b.seconds())).toList();
        Sample middle = sorted.get(sorted.size() / 2);
        double cpu = samples.stream().mapToDouble(Sample::cpuSeconds).sorted().toArray()[samples.size() / 2];
        return new Sample(middle.seconds(), cpu);
    }
}
