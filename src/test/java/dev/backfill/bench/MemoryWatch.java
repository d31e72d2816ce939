package dev.backfill.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What this JVM's memory peaked at since {@link #reset()}: the heap in use at its fullest, the heap still in use after
 * each collection (what the program holds on to, plus garbage not yet collected), and the resident set of the process.
 */
final class MemoryWatch {

    private final AtomicLong afterGc = new AtomicLong();
    /** Collections notified so far, plus those run before the listeners were added (never notified). */
    private final AtomicLong notified = new AtomicLong();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());

    MemoryWatch() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    long used = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                            .getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(pool -> heapPools.contains(pool.getKey()))
                            .mapToLong(pool -> pool.getValue().getUsed()).sum();
                    afterGc.accumulateAndGet(used, Math::max);
                    notified.incrementAndGet();
                }
            }, null, null);
        }
        notified.addAndGet(collections());
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    /**
     * Starts the peaks afresh; the resident set's too, where Linux allows it ({@code /proc/self/clear_refs}). First
     * waits (a few seconds at most) for the notifications of the collections run so far, which arrive on a thread of
     * their own: the one of a {@code System.gc()} just before would otherwise be counted as a collection after.
     */
    void reset() {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (notified.get() < collections() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // polling the notification count, bounded by the deadline above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        afterGc.set(0);
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // Not Linux: the resident peak then counts from the start of the process.
        }
    }

    long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    /** The most heap left in use after a collection. */
    long peakAfterGc() {
        return afterGc.get();
    }

    /** {@code VmHWM} of {@code /proc/self/status}, or -1 where there is none. */
    long peakResident() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
