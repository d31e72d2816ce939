package dev.backfill.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.backfill.Json;
import dev.backfill.bench.Figure.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * P4: the example job over a synthetic day of 100 MiB and of 1 GiB of JSON lines, each in a JVM of its own under
 * {@code -Xmx128m}, beside the limit measured in that JVM: the same gzip bytes read
 * through {@code GZIPInputStream} and discarded. Throughput is uncompressed MB per CPU second of the process.
 */
final class JobThroughputBench {

    private static final List<String> HEAP = List.of("-Xmx128m");
    /** What Lambda's java21 runtime starts the JVM with: C1 only, the serial collector. */
    private static final List<String> LAMBDA = List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1");
    private static final double MIB = 1024 * 1024;

    Section run() throws IOException, InterruptedException {
        Path small = SyntheticDayStore.day(Bench.OUTPUT, 100);
        Path large = SyntheticDayStore.day(Bench.OUTPUT, 1024);
        Map<String, Double> hundred = child(HEAP, small, small, "tree");
        Map<String, Double> gibibyte = child(HEAP, large, small);
        Map<String, Double> lambdaJit = child(LAMBDA, small, small);
        return new Section("P4", "job throughput and memory", "daily_event_counts through a WindowWorker over one "
                + "gzip object (default compression; events like the demo's: time order, 20,000 users), in a JVM of "
                + "its own per day with -Xmx128m (the JDK's default collector and JIT), after warm-up passes; MB/s = "
                + "uncompressed MB per CPU second of the whole process; limit = the same gzip bytes read through "
                + "GZIPInputStream and discarded, in the same JVM just before; memory: peaks since the warm-up (heap, "
                + "heap after a collection, VmHWM), and bytes allocated by the measured passes", List.of(
                throughput("P4 job throughput, 1 GiB day, -Xmx128m", gibibyte),
                throughput("P4 job throughput, 100 MiB day, -Xmx128m", hundred),
                info("P4 before: a tree per line, 100 MiB day", hundred.get("treeMBps"), hundred),
                info("P4 with Lambda's JVM flags (C1 only, serial GC), 100 MiB day", lambdaJit.get("jobMBps"),
                        lambdaJit),
                memory(hundred, gibibyte)));
    }

    private static Figure throughput(String name, Map<String, Double> run) {
        double job = run.get("jobMBps");
        double limit = run.get("limitMBps");
        return new Figure(name, "≥ 50 % of the limit", String.format("%.0f MB/s per core (%.0f MiB in %.1f s)", job,
                run.get("uncompressedBytes") / MIB, run.get("jobWallSeconds")),
                String.format("limit %.0f MB/s per core", limit), String.format("%.2f of the limit", job / limit),
                Verdict.of(job >= 0.5 * limit), Map.copyOf(run));
    }

    private static Figure info(String name, double mbps, Map<String, Double> run) {
        double limit = run.get("limitMBps");
        return new Figure(name, null, String.format("%.0f MB/s per core", mbps),
                String.format("limit %.0f MB/s per core", limit), String.format("%.2f of the limit", mbps / limit),
                Verdict.INFO, Map.of("MBps", mbps, "limitMBps", limit));
    }

    private static Figure memory(Map<String, Double> small, Map<String, Double> large) {
        // A day can pass without any collection since the warm-up (the job allocates next to nothing per event): it
        // then has no heap-after-GC reading (0), and its peak heap is a few MiB counted in whole G1 regions (1 MiB),
        // which a ratio cannot compare. Nothing allocated since has been freed then, so what the measured passes
        // allocated (on the thread that runs them, exactly) bounds what they held: compared instead of dividing by 0.
        boolean collected = small.get("peakHeapAfterGc") > 0 && large.get("peakHeapAfterGc") > 0;
        String heapKey = collected ? "peakHeapAfterGc" : "allocated";
        double heap = large.get(heapKey) / small.get(heapKey);
        double resident = large.get("peakResident") / small.get("peakResident");
        return new Figure("P4 memory, 100 MiB → 1 GiB day", "flat: 1 GiB day ≤ 1.25 × 100 MiB day",
                String.format("heap after GC %s; peak heap %s; allocated %s; peak RSS %s",
                        mib(small, large, "peakHeapAfterGc"), mib(small, large, "peakHeap"),
                        mib(small, large, "allocated"), mib(small, large, "peakResident")),
                "the 100 MiB day", String.format("%.2f × %s, %.2f × RSS", heap,
                        collected ? "heap after GC" : "allocated (no collection ran)", resident),
                Verdict.of(heap <= 1.25 && resident <= 1.25),
                Map.of(collected ? "heapAfterGcRatio" : "allocatedRatio", heap, "residentRatio", resident));
    }

    private static String mib(Map<String, Double> small, Map<String, Double> large, String key) {
        return String.format("%.1f → %.1f MiB", small.get(key) / MIB, large.get(key) / MIB);
    }

    /** Runs {@link JobThroughputChild} in a new JVM with {@code options}; returns what it printed. */
    private static Map<String, Double> child(List<String> options, Path day, Path warmUp, String... more)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JobThroughputChild.class.getName(),
                day.toString(), warmUp.toString()));
        command.addAll(List.of(more));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring("RESULT ".length());
                }
            }
        }
        if (process.waitFor() != 0 || result == null) {
            throw new IllegalStateException("The P4 JVM (" + String.join(" ", options) + ", " + day.getFileName()
                    + ") failed with exit code " + process.exitValue());
        }
        return Json.mapper().readValue(result, new TypeReference<Map<String, Double>>() { });
    }
}
