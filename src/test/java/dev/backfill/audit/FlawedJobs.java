package dev.backfill.audit;

import dev.backfill.job.History;
import dev.backfill.job.InputSpec;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobResult;
import dev.backfill.job.OutputSchema;
import dev.backfill.job.OutputSchema.Column;
import dev.backfill.job.PartitionSink.PartWriter;
import dev.backfill.job.SourceReader.SourceObject;
import dev.backfill.job.WindowJob;
import dev.backfill.window.Window;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * Jobs with one flaw each, for the audit to find: each counts the lines of the example's raw events of its day and
 * writes one row, and then does one thing a backfillable job must not.
 */
final class FlawedJobs {

    private FlawedJobs() {
    }

    /** Counts the window's raw event lines; the flaws are added by the subclasses. */
    abstract static class LineCounter implements WindowJob {

        private final String name;

        LineCounter(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String table() {
            return name;
        }

        @Override
        public InputSpec inputs(Window window) {
            return InputSpec.under("raw/events/dt=" + window.label() + "/", ".jsonl.gz");
        }

        @Override
        public OutputSchema outputSchema() {
            return new OutputSchema(List.of(Column.string("source")), List.of(Column.bigint("lines")));
        }

        @Override
        public JobResult run(JobContext context) throws IOException {
            long lines = 0;
            List<SourceObject> inputs = context.source().list("raw/events/dt=" + context.window().label() + "/");
            if (inputs.isEmpty()) {
                throw new dev.backfill.RetryableException("No input for " + context.window().label());
            }
            for (SourceObject object : inputs) {
                lines += lines(context.source().open(object), true);
            }
            List<String> rows = new ArrayList<>(extraRows(context));
            rows.add("{\"source\":\"raw\",\"lines\":" + lines + flaw(context, lines) + "}");
            try (PartWriter part = context.sink().openPart()) {
                for (String row : rows) {
                    part.writeLine(row);
                }
                return new JobResult(lines, part.rows());
            }
        }

        /** More members of the row, after {@code lines}. */
        String flaw(JobContext context, long lines) {
            return "";
        }

        /** Rows written before the job's own. */
        List<String> extraRows(JobContext context) throws IOException {
            return List.of();
        }

        static long lines(InputStream raw, boolean gzip) throws IOException {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    gzip ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
                return reader.lines().count();
            }
        }
    }

    /** Stamps each row with the wall clock's day and instant: no two runs agree. */
    static final class ReadsTheClock extends LineCounter {
        ReadsTheClock() {
            super("reads_the_clock");
        }

        @Override
        String flaw(JobContext context, long lines) {
            return ",\"loaded_on\":\"" + LocalDate.now() + "\",\"loaded_at\":\"" + Instant.now() + "\"";
        }
    }

    /** Reads the partition it already wrote and writes those rows again with its own: each load adds a copy. */
    static final class Appends extends LineCounter {
        Appends() {
            super("appends");
        }

        @Override
        List<String> extraRows(JobContext context) throws IOException {
            List<String> rows = new ArrayList<>();
            String prefix = "tables/" + table() + "/dt=" + context.window().label() + "/";
            for (SourceObject object : context.source().list(prefix)) {
                if (object.key().substring(prefix.length()).startsWith("part-")) {
                    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                            new GZIPInputStream(context.source().open(object)), StandardCharsets.UTF_8))) {
                        reader.lines().forEach(rows::add);
                    }
                }
            }
            return rows;
        }
    }

    /** Remembers each day's count in a static map and writes the day before's beside its own, when it has one. */
    static final class KeepsAStaticCache extends LineCounter {
        static final Map<LocalDate, Long> SEEN = new ConcurrentHashMap<>();

        KeepsAStaticCache() {
            super("keeps_a_static_cache");
        }

        @Override
        String flaw(JobContext context, long lines) {
            LocalDate day = context.window().date();
            SEEN.put(day, lines);
            Long before = SEEN.get(day.minusDays(1));
            return before == null ? "" : ",\"change\":" + (lines - before);
        }
    }

    /** Says its upstream keeps 30 days; the test's upstream keeps fewer. */
    static final class ClaimsAHistory extends LineCounter {
        ClaimsAHistory() {
            super("claims_a_history");
        }

        @Override
        public History history() {
            return History.lastDays(30);
        }
    }

    /** Lists nothing it could be probed by (as an API job), and says its upstream keeps 30 days; it keeps fewer. */
    static final class DeclaresNoInputs extends LineCounter {
        DeclaresNoInputs() {
            super("declares_no_inputs");
        }

        @Override
        public InputSpec inputs(Window window) {
            return InputSpec.none();
        }

        @Override
        public History history() {
            return History.lastDays(30);
        }
    }
}
