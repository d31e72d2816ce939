package dev.backfill.testing;

import dev.backfill.job.PartitionSink;
import java.util.ArrayList;
import java.util.List;

/** A partition sink that keeps what a job writes, for tests: {@code sink.lines()} after {@code job.run(...)}. */
public final class CapturingSink implements PartitionSink {

    private final List<List<String>> parts = new ArrayList<>();

    @Override
    public PartWriter openPart() {
        List<String> lines = new ArrayList<>();
        parts.add(lines);
        return new PartWriter() {
            @Override
            public void writeLine(String jsonLine) {
                lines.add(jsonLine);
            }

            @Override
            public long rows() {
                return lines.size();
            }

            @Override
            public void close() {
            }
        };
    }

    /** Every part written, each as its lines. */
    public List<List<String>> parts() {
        return parts;
    }

    /** Every line written, part after part. */
    public List<String> lines() {
        return parts.stream().flatMap(List::stream).toList();
    }
}
