package dev.backfill.job;

import dev.backfill.window.Grain;
import dev.backfill.window.Window;
import java.io.IOException;

/**
 * User code that turns one window of source data into one output partition. A job is backfillable: it takes the
 * window as input and never reads the clock, reads only through {@link SourceReader} or, for an HTTP API, spends
 * {@link JobContext#budget()} per request, and writes only through {@link PartitionSink}. Running it twice on the
 * same inputs must write the same bytes; the commit protocol makes the write a replacement.
 *
 * <p>In a deployment a job is a CDI bean: a class annotated {@code @ApplicationScoped} that implements this
 * interface is found at build time and served under its {@link #name()}, with no list to edit. Two beans with one
 * name stop the functions at start-up. A job's own settings come from {@code backfill.jobs.<name>.<setting>}
 * ({@link JobSettings}). Outside a container, {@link JobRegistry#of} takes the jobs as a list.
 *
 * <p>Methods other than {@link #run} are called often (by {@code plan}, {@code backfill}, the worker) and must be
 * cheap, free of I/O and give the same answer every time.
 */
public interface WindowJob {

    /**
     * The name requests use, such as {@code daily_event_counts}: lower case, digits and underscores, starting with a
     * letter (at most 63 characters), unique in the deployment. No default.
     */
    String name();

    /**
     * The output table, named like a job. Partitions live under {@code tables/<table>/dt=<day>/} at day grain and
     * {@code tables/<table>/dt=<day>/hr=<hour>/} at hour grain ({@code dev.backfill.partition.PartitionPath}). No
     * default; usually the job's name.
     */
    String table();

    /**
     * How finely the job cuts time: one window per calendar day of {@code BACKFILL_ZONE}, or one per local hour
     * (24 a day; 23 and 25 on the days clocks change, see {@link Grain} for the labels). Requests still name days:
     * a backfill of {@code 2026-03-29 .. 2026-03-30} at hour grain in Europe/Berlin runs 23 windows. Default:
     * {@link Grain#DAY}.
     */
    default Grain grain() {
        return Grain.DAY;
    }

    /**
     * Where the inputs of {@code window} live, listed without running the job: {@code plan} probes them and the
     * {@code stale} reprocess policy compares them with the versions a committed partition recorded. Default: none
     * declared (the probe reports the window's input as unknown; {@code stale} looks at the code version only).
     */
    default InputSpec inputs(Window window) {
        return InputSpec.none();
    }

    /**
     * How far back the upstream serves this job's inputs: {@code plan} and {@code backfill} leave the windows of
     * older days out as "not served" (without probing them), and {@code audit} checks that the oldest served day can
     * really be read. Default: {@link History#unlimited()}, the upstream keeps everything.
     */
    default History history() {
        return History.unlimited();
    }

    /**
     * The columns of the output table: the keys that identify a row within a partition and the measures computed for
     * them, so that the table can be declared in a catalog (infra/template.yaml's Glue table) and compared across
     * runs. Every line the job writes is a JSON object with these members (and may carry the partition column
     * {@code dt}); the schema is fixed for the job, whatever the window. No default.
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
     * Processes one window: reads its inputs and writes its rows through {@code context.sink()}. What the sink holds
     * when this returns replaces the window's partition; nothing is visible before.
     *
     * <p>A job that waits (for the rate budget, or because the upstream said {@code Retry-After}) must not wait past
     * {@link JobContext#deadline()}: it throws {@link dev.backfill.RetryableException} instead, and the window comes
     * back later.
     *
     * @return how many rows were read and written
     * @throws IOException                      if reading or writing fails; the window is retried
     * @throws dev.backfill.RetryableException  if the window may succeed later (upstream late, throttled, out of time)
     * @throws dev.backfill.BackfillException   if the input cannot be processed as it is; the window fails for good
     */
    JobResult run(JobContext context) throws IOException;
}
