package dev.backfill.partition;

import dev.backfill.window.Window;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one partition of a table lives: {@code tables/<table>/dt=<label>/} for a day window, and
 * {@code tables/<table>/dt=<day>/hr=<hour>/} for an hour window labelled {@code <day>T<hour>}
 * ({@code 2026-03-29T01} → {@code dt=2026-03-29/hr=01/}; see {@link dev.backfill.window.Grain}).
 */
public record PartitionPath(String table, String label) {

    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern HOUR_LABEL = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})T(\\d{2}(?:-repeat)?)");
    private static final Pattern HOUR_PATH = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})/hr=(\\d{2}(?:-repeat)?)");
    public static final String MANIFEST = "_manifest.json";
    private static final String STAGED = "_staged-";

    public PartitionPath {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(label, "label");
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("Table name '" + table + "' must match " + TABLE.pattern());
        }
        if (label.isBlank() || label.contains("/")) {
            throw new IllegalArgumentException("Partition label '" + label + "' must be non-blank without '/'");
        }
    }

    public static PartitionPath of(String table, Window window) {
        return new PartitionPath(table, window.label());
    }

    /** The prefix every object of the table starts with. */
    public static String tablePrefix(String table) {
        return "tables/" + table + "/";
    }

    public String prefix() {
        Matcher hour = HOUR_LABEL.matcher(label);
        String partition = hour.matches() ? hour.group(1) + "/hr=" + hour.group(2) : label;
        return tablePrefix(table) + "dt=" + partition + "/";
    }

    /**
     * The window label a partition's path names, given the path after {@code dt=} and before the trailing slash:
     * {@code 2026-04-09} for a day, {@code 2026-03-29/hr=01} → {@code 2026-03-29T01} for an hour.
     */
    public static String labelOf(String afterDt) {
        Matcher hour = HOUR_PATH.matcher(afterDt);
        return hour.matches() ? hour.group(1) + "T" + hour.group(2) : afterDt;
    }

    public String manifestKey() {
        return prefix() + MANIFEST;
    }

    /**
     * Where part {@code index} of the attempt {@code token} is uploaded first: a name starting with {@code _}, which
     * Hive-style readers of the prefix (Athena, Glue, Spark, DuckDB) skip.
     */
    public String stagedPartKey(int index, CommitToken token) {
        return prefix() + String.format("_staging-part-%05d-%s.jsonl.gz", index, token);
    }

    /**
     * Where a staged run keeps the parts of this partition until {@code publish} or {@code discard}: a name starting
     * with {@code _} (prefix readers skip it) and with the run id, so the commit of another run leaves it alone.
     */
    public String runStagedPartKey(String runId, int index, CommitToken token) {
        return stagedPrefix(runId) + String.format("part-%05d-%s.jsonl.gz", index, token);
    }

    /** The staged manifest of run {@code runId} for this partition: invisible to readers of {@code _manifest.json}. */
    public String stagedManifestKey(String runId) {
        return stagedPrefix(runId) + "manifest.json";
    }

    /** The prefix of every object run {@code runId} staged in this partition. Run ids hold no {@code .}. */
    public String stagedPrefix(String runId) {
        return prefix() + STAGED + runId + ".";
    }

    /** True for an object a staged run wrote (its parts or manifest): kept until that run is published or discarded. */
    public static boolean isRunStaged(String key) {
        return key.substring(key.lastIndexOf('/') + 1).startsWith(STAGED);
    }

    /** The key of part {@code index} written by the attempt {@code token}: unique per attempt. */
    public String partKey(int index, CommitToken token) {
        return prefix() + String.format("part-%05d-%s.jsonl.gz", index, token);
    }
}
