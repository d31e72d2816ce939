package dev.backfill.job;

import dev.backfill.window.Window;
import java.util.Objects;

/**
 * What a job gets for one run: the window, where to read and where to write, the process's share of the upstream
 * rate budget (for requests that do not go through {@code source}, such as HTTP calls: one permit per request), and
 * how long it may run.
 */
public record JobContext(Window window, SourceReader source, PartitionSink sink, RateBudget budget,
                         Deadline deadline) {

    public JobContext {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(deadline, "deadline");
    }

    /** A run without rate limit or deadline, as in tests. */
    public JobContext(Window window, SourceReader source, PartitionSink sink) {
        this(window, source, sink, RateBudget.unlimited(), Deadline.none());
    }
}
