package dev.backfill.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An {@link ObjectStore} in memory that behaves like an S3 bucket with versioning on, for domain tests: every write
 * makes a new version with its own id and an S3-style ETag (the quoted hex MD5 of the content); deletes add a delete
 * marker, so the key is no longer listed or read while older versions stay readable by id. Conditional writes are
 * atomic. Thread-safe.
 */
public final class InMemoryObjectStore implements ObjectStore {

    /** Every key's versions and delete markers, oldest first. */
    private final Map<String, List<Entry>> keys = new TreeMap<>();
    private final Clock clock;
    private long writes;

    /** @param clock stamps each version's last-modified time */
    public InMemoryObjectStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public InMemoryObjectStore() {
        this(Clock.systemUTC());
    }

    private record Entry(String versionId, byte[] content, String etag, Instant lastModified, boolean deleteMarker) {

        ObjectVersion version(String key) {
            return new ObjectVersion(key, versionId, etag, content.length);
        }

        StoredObject stored(String key) {
            return new StoredObject(version(key), content.clone());
        }
    }

    @Override
    public synchronized Optional<StoredObject> get(String key) {
        return current(key).map(entry -> entry.stored(key));
    }

    @Override
    public synchronized Optional<StoredObject> getVersion(String key, String versionId) {
        return version(key, versionId).map(entry -> entry.stored(key));
    }

    @Override
    public synchronized ObjectStream open(String key) {
        Entry entry = current(key).orElseThrow(() -> new ObjectNotFoundException(key, null));
        return new ObjectStream(key, entry.versionId(), new ByteArrayInputStream(entry.content()));
    }

    @Override
    public synchronized ObjectStream openVersion(String key, String versionId) {
        Entry entry = version(key, versionId).orElseThrow(() -> new ObjectNotFoundException(key, versionId));
        return new ObjectStream(key, entry.versionId(), new ByteArrayInputStream(entry.content()));
    }

    @Override
    public synchronized ObjectVersion put(String key, byte[] content) {
        return write(key, content);
    }

    @Override
    public ObjectVersion put(String key, Path file) {
        try {
            return put(key, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized ObjectVersion copy(String source, String target) {
        Entry entry = current(source).orElseThrow(() -> new ObjectNotFoundException(source, null));
        return write(target, entry.content().clone());
    }

    @Override
    public synchronized ObjectVersion putIfAbsent(String key, byte[] content) {
        if (current(key).isPresent()) {
            throw new PreconditionFailedException(key);
        }
        return write(key, content);
    }

    @Override
    public synchronized ObjectVersion putIfMatch(String key, byte[] content, String etag) {
        if (current(key).filter(entry -> entry.etag().equals(etag)).isEmpty()) {
            throw new PreconditionFailedException(key);
        }
        return write(key, content);
    }

    @Override
    public synchronized List<ObjectSummary> list(String prefix) {
        List<ObjectSummary> listed = new ArrayList<>();
        keys.forEach((key, entries) -> {
            if (key.startsWith(prefix)) {
                current(key).ifPresent(entry -> listed.add(
                        new ObjectSummary(key, entry.etag(), entry.content().length, entry.lastModified())));
            }
        });
        return List.copyOf(listed);
    }

    @Override
    public synchronized List<ObjectVersionSummary> listVersions(String prefix) {
        List<ObjectVersionSummary> listed = new ArrayList<>();
        keys.forEach((key, entries) -> {
            if (key.startsWith(prefix)) {
                for (int i = entries.size() - 1; i >= 0; i--) {
                    Entry entry = entries.get(i);
                    listed.add(new ObjectVersionSummary(key, entry.versionId(), entry.lastModified(),
                            entry.deleteMarker()));
                }
            }
        });
        return List.copyOf(listed);
    }

    /**
     * Adds a delete marker to every key, like DeleteObjects on a versioned bucket, which also marks keys that never
     * existed and reports every key asked for as deleted.
     */
    @Override
    public synchronized int deleteAll(Collection<String> keysToDelete) {
        for (String key : keysToDelete) {
            append(key, new Entry(nextVersionId(), new byte[0], null, clock.instant(), true));
        }
        return keysToDelete.size();
    }

    private ObjectVersion write(String key, byte[] content) {
        Entry entry = new Entry(nextVersionId(), content.clone(), etagOf(content), clock.instant(), false);
        append(key, entry);
        return entry.version(key);
    }

    private void append(String key, Entry entry) {
        keys.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
    }

    private Optional<Entry> current(String key) {
        List<Entry> entries = keys.getOrDefault(key, List.of());
        return entries.isEmpty() ? Optional.empty()
                : Optional.of(entries.get(entries.size() - 1)).filter(entry -> !entry.deleteMarker());
    }

    private Optional<Entry> version(String key, String versionId) {
        Objects.requireNonNull(versionId, "versionId");
        return keys.getOrDefault(key, List.of()).stream()
                .filter(entry -> !entry.deleteMarker() && entry.versionId().equals(versionId))
                .findFirst();
    }

    /** Opaque like S3's, and unique across the store so a version id never names two keys' versions. */
    private String nextVersionId() {
        return String.format("v%08d", ++writes);
    }

    private static String etagOf(byte[] content) {
        try {
            return '"' + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has MD5", e);
        }
    }
}
