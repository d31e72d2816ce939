package dev.backfill.job;

import dev.backfill.window.Window;
import java.io.IOException;

/**
 * User code that turns one window of source data into one output partition. A job is backfillable: it takes the
 * window as input and never reads the clock, reads only through {@link SourceReader} (which records the exact
 * versions read and keeps to the upstream rate budget), and writes only through {@link PartitionSink}. Running it
 * twice on the same inputs must write the same bytes; the commit protocol makes the write a replacement.
 */
public interface WindowJob {

    /** The name requests use, such as {@code daily_event_counts}. */
    String name();

    /** The output table; partitions live under {@code tables/<table>/dt=<label>/}. */
    String table();

    /**
     * Where the inputs of {@code window} live, listed without running the job: {@code plan} probes them and the
     * {@code stale} reprocess policy compares them with the versions a committed partition recorded. The default
     * declares none.
     */
    default InputSpec inputs(Window window) {
        return InputSpec.none();
    }

    /**
     * How far back the upstream serves this job's inputs: {@code plan} reports older days as not served, and
     * {@code audit} checks that the oldest served day can really be read. The default: the upstream keeps everything.
     */
    default History history() {
        return History.unlimited();
    }

    /**
     * The columns of the output table: the keys that identify a row within a partition and the measures computed for
     * them, so that the table can be declared in a catalog (infra/template.yaml's Glue table) and compared across
     * runs. Every line the job writes is a JSON object with these members (and may carry the partition column
     * {@code dt}); the schema is fixed for the job, whatever the window.
     */
    OutputSchema outputSchema();

    /**
     * The audit gates {@code publish} checks before it makes a staged run's windows current: that each staged
     * partition is non-empty, and how far its row count and each measure's total (summed over the keys of
     * {@link #outputSchema()}) may move from the current partition. A failing gate refuses the whole publish, naming
     * the days and values, unless the request forces it; a request may also override each limit. The default is
     * {@link Gates#STANDARD}: non-empty, rows and every measure within ±25 %.
     */
    default Gates gates() {
        return Gates.STANDARD;
    }

    /**
     * Processes one window.
     *
     * @throws IOException if reading or writing fails; the window is retried
     * @throws dev.backfill.BackfillException if the input cannot be processed as it is
     */
    JobResult run(JobContext context) throws IOException;
}
