package dev.backfill.partition;

import dev.backfill.job.InputRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The snapshot of one partition: exactly the part files readers must see, and where they came from. Stored as
 * {@code _manifest.json} in the partition's prefix; with bucket versioning, each version of it is a snapshot of the
 * partition at the time it was written.
 *
 * @param v           format version, {@value #VERSION}
 * @param attempt     the {@link CommitToken} of the attempt that wrote it
 * @param codeVersion the version of the code that computed the parts
 */
public record Manifest(
        int v,
        String table,
        String job,
        WindowRef window,
        String runId,
        long fence,
        String attempt,
        String codeVersion,
        long rows,
        List<Part> parts,
        List<InputRef> inputs,
        Instant startedAt,
        Instant committedAt) {

    public static final int VERSION = 1;

    public Manifest {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(attempt, "attempt");
        parts = List.copyOf(parts);
        inputs = List.copyOf(inputs);
    }

    public CommitToken token() {
        return CommitToken.parse(attempt);
    }

    /** One part file of the partition. {@code versionId} is null where the bucket keeps no versions. */
    public record Part(String key, String versionId, String etag, long size, long rows) {
    }

    /** The window as stored: label and instant range. */
    public record WindowRef(String label, Instant start, Instant end) {
    }
}
