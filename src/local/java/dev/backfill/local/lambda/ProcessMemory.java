package dev.backfill.local.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** The most resident memory a process (with its children) has used, as Lambda's "Max Memory Used"; Linux only. */
final class ProcessMemory {

    private static final String PEAK = "VmHWM:";

    private ProcessMemory() {
    }

    /** The largest peak resident set of the process and its descendants, in MB (1024 × 1024 bytes), if readable. */
    static Optional<Long> peakMegabytes(ProcessHandle process) {
        OptionalLong kilobytes = Stream.concat(Stream.of(process), process.descendants())
                .map(ProcessMemory::peakKilobytes)
                .flatMap(Optional::stream)
                .mapToLong(Long::longValue)
                .max();
        return kilobytes.isPresent() ? Optional.of(Math.max(1, kilobytes.getAsLong() / 1024)) : Optional.empty();
    }

    private static Optional<Long> peakKilobytes(ProcessHandle process) {
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        try (Stream<String> lines = Files.lines(status)) {
            return lines.filter(line -> line.startsWith(PEAK))
                    .map(line -> Long.parseLong(line.substring(PEAK.length()).replace("kB", "").trim()))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            // Not Linux, or the process is gone: no figure rather than a wrong one.
            return Optional.empty();
        }
    }
}
