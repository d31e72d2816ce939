package dev.backfill.job;

import dev.backfill.window.Window;
import java.util.Objects;

/** What a job gets for one run: the window, where to read and where to write. */
public record JobContext(Window window, SourceReader source, PartitionSink sink) {

    public JobContext {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
    }
}
