package dev.backfill.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.backfill.Json;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.example.TreePerLineDailyEventCounts;
import dev.backfill.job.WindowJob;
import dev.backfill.ledger.RunLedger;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowWorker;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * One JVM of P4, started by {@link JobThroughputBench} with the heap and JIT options to measure: warms up on one day,
 * then reads a day the way the limit is defined (through {@link GZIPInputStream}, discarding the bytes) and runs the
 * example job on it through a {@link WindowWorker}, each timed in CPU seconds of the whole process (garbage
 * collection and compilation included), and prints {@code RESULT <json>}.
 *
 * <p>Arguments: the day to measure, the day to warm up on, and {@code tree} to also run the job as it was before.
 */
public final class JobThroughputChild {

    private static final LocalDate JAN_01 = LocalDate.of(2026, 1, 1);
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final int LIMIT_WARM_UPS = 4;

    private JobThroughputChild() {
    }

    /** CPU and wall seconds of one pass over a day's input. */
    private record Pass(double cpuSeconds, double wallSeconds) {
    }

    public static void main(String[] args) throws Exception {
        Path day = Path.of(args[0]);
        Path warmUp = Path.of(args[1]);
        MemoryWatch memory = new MemoryWatch();
        boolean tree = args.length > 2 && args[2].equals("tree");
        // The limit's own code (Inflater.inflate, InflaterInputStream.read, CRC32.update) is called once per 64 KiB:
        // a single pass over the warm-up day left its C2 compilation to the measured limit pass, charging that pass
        // with the compiler's CPU (-XX:+PrintCompilation); four passes leave it compiled before.
        for (int i = 0; i < LIMIT_WARM_UPS; i++) {
            limit(warmUp);
        }
        for (int i = 0; i < LIMIT_WARM_UPS; i++) {
            job(warmUp, DailyEventCounts.fixed());
        }
        if (tree) {
            job(warmUp, new TreePerLineDailyEventCounts());
        }
        System.gc();
        memory.reset();
        long[] bytes = new long[1];
        com.sun.management.ThreadMXBean thread = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = thread.getCurrentThreadAllocatedBytes();
        Pass limit = timed(() -> bytes[0] = limit(day));
        Pass streamed = timed(() -> job(day, DailyEventCounts.fixed()));
        long allocated = thread.getCurrentThreadAllocatedBytes() - allocatedBefore;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("uncompressedBytes", bytes[0]);
        result.put("gzipBytes", Files.size(day));
        result.put("limitMBps", bytes[0] / 1e6 / limit.cpuSeconds());
        result.put("jobMBps", bytes[0] / 1e6 / streamed.cpuSeconds());
        result.put("jobWallSeconds", streamed.wallSeconds());
        result.put("peakHeap", memory.peakHeap());
        result.put("peakHeapAfterGc", memory.peakAfterGc());
        result.put("peakResident", memory.peakResident());
        result.put("allocated", allocated);
        if (tree) {
            Pass before = timed(() -> job(day, new TreePerLineDailyEventCounts()));
            result.put("treeMBps", bytes[0] / 1e6 / before.cpuSeconds());
        }
        System.out.println("RESULT " + Json.writeString(result));
    }

    /** Reads the day's gzip bytes and discards them: the most a job reading them could do. */
    private static long limit(Path day) throws IOException {
        long bytes = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(day), 64 * 1024)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                bytes += read;
            }
        }
        return bytes;
    }

    private static void job(Path day, WindowJob job) {
        SyntheticDayStore store = new SyntheticDayStore(day);
        int run = RUNS.incrementAndGet();
        new WindowWorker(JobRegistry.of(List.of(job)), store, new RunLedger(store), RateBudget::unlimited,
                Clock.systemUTC(), () -> Integer.toHexString(run), "bench")
                .process(WindowMessage.of("bench-" + run, DailyEventCounts.NAME, Window.day(JAN_01, ZoneOffset.UTC),
                        run), 1);
    }

    @FunctionalInterface
    private interface Work {
        void run() throws IOException;
    }

    private static Pass timed(Work work) throws IOException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        work.run();
        return new Pass((os.getProcessCpuTime() - cpu) / 1e9, (System.nanoTime() - wall) / 1e9);
    }
}
