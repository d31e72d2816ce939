package dev.backfill.partition;

import java.util.List;

/**
 * One partition read whole: its manifest version and the rows of its parts, in part order. What staged publish and its
 * audit gates compare (a staged partition against the current one); time travel reads rows on demand instead
 * ({@link TableReader#lines}).
 */
public record PartitionRows(String label, String manifestVersionId, Manifest manifest, List<String> lines) {

    public PartitionRows {
        lines = List.copyOf(lines);
    }
}
