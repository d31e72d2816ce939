package dev.backfill.job;

import java.io.Closeable;
import java.io.IOException;

/**
 * Where a job writes its output partition: one or more part files of JSON lines, gzip-compressed and streamed, so
 * memory does not grow with the size of a window. Parts become visible to readers only when the partition commits.
 */
public interface PartitionSink {

    /** Opens the next part file; close it to finish the part. */
    PartWriter openPart() throws IOException;

    /** A part file being written. */
    interface PartWriter extends Closeable {

        /** Appends one JSON line; the line must not contain a newline. */
        void writeLine(String jsonLine) throws IOException;

        /** Lines written so far. */
        long rows();
    }
}
