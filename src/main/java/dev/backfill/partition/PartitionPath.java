package dev.backfill.partition;

import dev.backfill.window.Window;
import java.util.Objects;
import java.util.regex.Pattern;

/** Where one partition of a table lives: {@code tables/<table>/dt=<label>/}. */
public record PartitionPath(String table, String label) {

    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]{0,62}");
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
        return tablePrefix(table) + "dt=" + label + "/";
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
