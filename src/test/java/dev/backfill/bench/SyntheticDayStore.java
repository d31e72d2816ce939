package dev.backfill.bench;

import dev.backfill.store.ObjectNotFoundException;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * A store holding one large synthetic day of events (gzip, in a file) and keeping small objects; part files are read
 * for their size and dropped, so the job's own memory is what gets measured. The day looks like the demo's input:
 * events in time order, 20,000 users, mostly views, amounts on purchases and refunds.
 */
final class SyntheticDayStore implements ObjectStore {

    private static final long DAY_MILLIS = 86_400_000L;
    private static final long JAN_01 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    /** About what one line takes: spreads the events over the day. */
    private static final int LINE_BYTES = 81;

    private final Path day;
    private final Map<String, byte[]> small = new ConcurrentHashMap<>();

    SyntheticDayStore(Path day) {
        this.day = day;
    }

    /**
     * The gzip file of a day of about {@code mebibytes} MiB of JSON lines in {@code dir}, written the first time and
     * kept for the next runs (default compression, as upstream exports usually are).
     */
    static Path day(Path dir, int mebibytes) throws IOException {
        Path file = dir.resolve("day-" + mebibytes + "MiB.jsonl.gz");
        if (Files.isRegularFile(file)) {
            return file;
        }
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, "day-", ".partial");
        long bytes = (long) mebibytes * 1024 * 1024;
        long events = bytes / LINE_BYTES;
        SplittableRandom random = new SplittableRandom(mebibytes);
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(partial), 1 << 16), StandardCharsets.UTF_8), 1 << 16)) {
            for (long i = 0, written = 0; written < bytes; i++) {
                int roll = random.nextInt(100);
                String type = roll < 70 ? "view" : roll < 88 ? "cart" : roll < 97 ? "purchase" : "refund";
                int amount = type.equals("purchase") ? 500 + random.nextInt(19_500)
                        : type.equals("refund") ? 500 + random.nextInt(9_500) : 0;
                long offset = Math.min(DAY_MILLIS - 1, i * DAY_MILLIS / events + random.nextInt(50));
                String line = "{\"ts\":\"" + Instant.ofEpochMilli(JAN_01 + offset) + "\",\"user\":\"u"
                        + random.nextInt(20_000) + "\",\"type\":\"" + type + "\",\"amount_cents\":" + amount + "}\n";
                out.write(line);
                written += line.length();
            }
        }
        return Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public Optional<StoredObject> get(String key) {
        byte[] content = small.get(key);
        return content == null ? Optional.empty()
                : Optional.of(new StoredObject(new ObjectVersion(key, "v", etag(content), content.length), content));
    }

    @Override
    public Optional<StoredObject> getVersion(String key, String versionId) {
        return get(key);
    }

    @Override
    public ObjectStream open(String key) {
        if (!key.startsWith("raw/")) {
            throw new ObjectNotFoundException(key, null);
        }
        try {
            return new ObjectStream(key, "v1", Files.newInputStream(day));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ObjectStream openVersion(String key, String versionId) {
        return open(key);
    }

    @Override
    public ObjectVersion put(String key, byte[] content) {
        small.put(key, content);
        return new ObjectVersion(key, "v", etag(content), content.length);
    }

    @Override
    public ObjectVersion put(String key, Path file) {
        try {
            return new ObjectVersion(key, "v", "\"part\"", Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parts are not kept (see {@link #put(String, Path)}), so a copy of one is a copy of nothing. */
    @Override
    public ObjectVersion copy(String source, String target) {
        return new ObjectVersion(target, "v", "\"part\"", -1);
    }

    @Override
    public ObjectVersion putIfAbsent(String key, byte[] content) {
        return put(key, content);
    }

    @Override
    public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
        return put(key, content);
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        return prefix.startsWith("raw/")
                ? List.of(new ObjectSummary(prefix + "events-0000.jsonl.gz", "\"day\"", 0, null))
                : List.of();
    }

    @Override
    public List<ObjectVersionSummary> listVersions(String prefix) {
        return List.of();
    }

    @Override
    public int deleteAll(Collection<String> keys) {
        return keys.size();
    }

    private static String etag(byte[] content) {
        return "\"" + java.util.Arrays.hashCode(content) + "\"";
    }
}
