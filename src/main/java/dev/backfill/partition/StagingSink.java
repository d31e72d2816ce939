package dev.backfill.partition;

import dev.backfill.job.PartitionSink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Collects the part files of one attempt on local disk while the job writes: each part is gzip-compressed into a
 * temporary file, so memory does not grow with the rows, and nothing reaches the store until the job has succeeded —
 * a job that fails half-way uploads nothing. The gzip header carries no timestamp, so the same lines always give the
 * same bytes. {@link #close()} deletes the files.
 */
final class StagingSink implements PartitionSink, AutoCloseable {

    /** A finished part, on local disk. */
    record LocalPart(int index, Path file, long rows) {
    }

    private final List<LocalPart> parts = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();
    private int opened;

    @Override
    public PartWriter openPart() throws IOException {
        Path file = Files.createTempFile("backfill-part-", ".jsonl.gz");
        files.add(file);
        return new GzipPartWriter(opened++, file);
    }

    /** The parts closed so far, in the order they were opened. */
    List<LocalPart> parts() {
        return List.copyOf(parts);
    }

    @Override
    public void close() {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete the local part " + file, e);
            }
        }
    }

    private final class GzipPartWriter implements PartWriter {

        private final int index;
        private final Path file;
        private final Writer out;
        private long rows;
        private boolean closed;

        GzipPartWriter(int index, Path file) throws IOException {
            this.index = index;
            this.file = file;
            this.out = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024),
                    StandardCharsets.UTF_8));
        }

        @Override
        public void writeLine(String jsonLine) throws IOException {
            if (jsonLine.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("A part line must not contain a newline (row " + (rows + 1) + ")");
            }
            out.write(jsonLine);
            out.write('\n');
            rows++;
        }

        @Override
        public long rows() {
            return rows;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                out.close();
                parts.add(new LocalPart(index, file, rows));
            }
        }
    }
}
