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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * A store holding one large synthetic day of events (gzip, in a temporary file) and keeping
 * small objects; part files are read for their size and dropped, so the job's own memory is what gets measured.
 */
final class SyntheticDayStore implements ObjectStore {

    private static final String[] TYPES = {"view", "view", "view", "cart", "purchase", "refund"};
    private final Path day;
    private final Map<String, byte[]> small = new ConcurrentHashMap<>();

    SyntheticDayStore(int events, int users) throws IOException {
        SplittableRandom random = new SplittableRandom(events);
        day = Files.createTempFile("bench-day-", ".jsonl.gz");
        day.toFile().deleteOnExit();
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(day)), StandardCharsets.UTF_8))) {
            for (int i = 0; i < events; i++) {
                out.write("{\"ts\":\"2026-01-01T00:00:00Z\",\"user\":\"u" + random.nextInt(users) + "\",\"type\":\""
                        + TYPES[random.nextInt(TYPES.length)] + "\",\"amount_cents\":" + random.nextInt(20_000) + "}\n");
            }
        }
    }

    long inputBytes() throws IOException {
        return Files.size(day);
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
