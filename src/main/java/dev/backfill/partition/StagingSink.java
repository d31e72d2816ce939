package dev.backfill.partition;

import dev.backfill.job.PartitionSink;
import dev.backfill.partition.Manifest.Part;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersion;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Stages part files of one attempt: each part is gzip-compressed into a temporary file while the job writes, then
 * streamed to its unique key when closed, so neither memory nor the request count grows with the rows. The gzip
 * header carries no timestamp, so the same lines always give the same bytes.
 */
final class StagingSink implements PartitionSink {

    private final ObjectStore store;
    private final PartitionPath path;
    private final CommitToken token;
    private final List<Part> parts = new ArrayList<>();
    private int opened;

    StagingSink(ObjectStore store, PartitionPath path, CommitToken token) {
        this.store = store;
        this.path = path;
        this.token = token;
    }

    @Override
    public PartWriter openPart() throws IOException {
        String key = path.partKey(opened++, token);
        Path file = Files.createTempFile("backfill-part-", ".jsonl.gz");
        return new GzipPartWriter(key, file);
    }

    /** The parts closed so far, in the order they were opened. */
    List<Part> parts() {
        return List.copyOf(parts);
    }

    private final class GzipPartWriter implements PartWriter {

        private final String key;
        private final Path file;
        private final Writer out;
        private long rows;
        private boolean closed;

        GzipPartWriter(String key, Path file) throws IOException {
            this.key = key;
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
            if (closed) {
                return;
            }
            closed = true;
            try {
                out.close();
                ObjectVersion written = store.put(key, file);
                parts.add(new Part(key, written.versionId(), written.etag(), written.size(), rows));
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
