package dev.backfill.bench;

import dev.backfill.testing.LocalServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code make bench}: every figure of issue 9 beside its baseline and goal, each baseline measured in this run, on
 * the embedded S3Proxy and ElasticMQ and the packaged function zip. Prints one table and writes
 * {@code target/bench/bench.json}; asserts nothing. Absolute numbers depend on the machine and its load; the ratios
 * are what to compare.
 *
 * <p>Arguments: the parts to run ({@code P1} … {@code P6}), all when none.
 */
public final class Bench {

    static final Path OUTPUT = Path.of("target", "bench");

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> parts = args.length == 0 ? Set.of("P1", "P2", "P3", "P4", "P5", "P6") : Set.of(args);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("loadAtStart", loadAverage());
        long started = System.nanoTime();
        List<Section> sections = new ArrayList<>();
        for (String part : List.of("P1", "P2", "P3", "P4", "P5", "P6")) {
            if (parts.contains(part)) {
                System.out.printf("bench %s … (load %s)%n", part, loadAverage());
                sections.add(run(part));
            }
        }
        machine.put("loadAtEnd", loadAverage());
        machine.put("benchSeconds", Math.round((System.nanoTime() - started) / 1e9));
        BenchReport report = new BenchReport(machine, sections);
        report.print(System.out);
        report.write(OUTPUT.resolve("bench.json"));
        System.out.println("Written: " + OUTPUT.resolve("bench.json"));
        System.exit(0);
    }

    private static Section run(String part) {
        try {
            return switch (part) {
                case "P1" -> new DispatchBench(LocalServers.get()).run();
                case "P2" -> new MakespanBench(LocalServers.get()).run();
                case "P3" -> new CommitCostBench(LocalServers.get()).run();
                case "P4" -> new JobThroughputBench().run();
                case "P5" -> new UpstreamBudgetBench().run();
                case "P6" -> new ColdStartBench(LocalServers.get()).run();
                default -> throw new IllegalArgumentException("Unknown part " + part + "; parts are P1 … P6");
            };
        } catch (Exception e) {
            e.printStackTrace();
            return new Section(part, "failed", "the part failed: see the stack trace above",
                    List.of(Figure.failed(part, e)));
        }
    }

    /** The 1-minute load average: the machine is shared, so it says how much the numbers were disturbed. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
