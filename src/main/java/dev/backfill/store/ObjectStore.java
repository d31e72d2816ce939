package dev.backfill.store;

import dev.backfill.RetryableException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The few object-store capabilities the commit protocol, the source reader and the run ledger need. Keys are
 * bucket-relative; the bucket is the implementation's. Where the store keeps versions (S3 with versioning on),
 * every write returns the new version's id and deletes leave older versions readable by id.
 *
 * <p>Every method throws {@link RetryableException} for failures that may pass on retry (throttling, 5xx, broken
 * connections); other failures are thrown as they are.
 */
public interface ObjectStore {

    /** The current version of a small object, read whole, or empty when there is none. */
    Optional<StoredObject> get(String key);

    /** One exact version of a small object, read whole, or empty when that version does not exist. */
    Optional<StoredObject> getVersion(String key, String versionId);

    /**
     * Opens the current version of {@code key} for streaming; the returned stream names the version it reads.
     *
     * @throws ObjectNotFoundException if there is no such object
     */
    ObjectStream open(String key);

    /** Opens one exact version for streaming. @throws ObjectNotFoundException if there is no such version */
    ObjectStream openVersion(String key, String versionId);

    /** Writes {@code content} as the new current version of {@code key}, unconditionally. */
    ObjectVersion put(String key, byte[] content);

    /** Streams {@code file} into the new current version of {@code key}, unconditionally. */
    ObjectVersion put(String key, Path file);

    /**
     * Copies the current version of {@code source} to a new current version of {@code target}; on S3 one
     * server-side CopyObject (at most 5 GB; S3 API Reference, CopyObject), the bytes never pass through the caller.
     * The default streams the object through a temporary file. The answer's size is -1 where the store does not
     * report it (S3's CopyObject does not).
     *
     * @throws ObjectNotFoundException if there is no such source object
     */
    default ObjectVersion copy(String source, String target) {
        try (ObjectStream in = open(source)) {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("backfill-copy-", ".bin");
            try {
                java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return put(target, file);
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (java.io.IOException e) {
            throw new RetryableException("Cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code content} only if {@code key} does not exist ({@code If-None-Match: *}).
     *
     * @throws PreconditionFailedException if the key exists, or a concurrent conditional write won
     */
    ObjectVersion putIfAbsent(String key, byte[] content);

    /**
     * Writes {@code content} only if the current version's ETag is {@code etag} ({@code If-Match}).
     *
     * @throws PreconditionFailedException if the current ETag differs or the key is gone, or a concurrent
     *                                     conditional write won
     */
    ObjectVersion putIfMatch(String key, byte[] content, String etag);

    /** Every current object whose key starts with {@code prefix}, in key order, across all pages. */
    List<ObjectSummary> list(String prefix);

    /**
     * One page of the current objects under {@code prefix}, in key order, after the key {@code startAfter} (null for
     * the first page): on S3 exactly one ListObjectsV2 request, at most 1,000 objects (ListObjectsV2's MaxKeys). For
     * callers that must pace or count each request, such as a source reader spending its rate budget per page.
     */
    default Page listPage(String prefix, String startAfter) {
        List<ObjectSummary> after = list(prefix).stream()
                .filter(summary -> startAfter == null || summary.key().compareTo(startAfter) > 0)
                .toList();
        List<ObjectSummary> page = after.subList(0, Math.min(Page.MAX_KEYS, after.size()));
        return new Page(page, after.size() > Page.MAX_KEYS);
    }

    /**
     * Every version and delete marker whose key starts with {@code prefix}, newest first within a key (the current
     * one, S3's {@code IsLatest}, first even when others share its second); stores without versioning list their
     * current objects. A prefix that is one whole key lists that key's versions alone (and those of longer keys).
     */
    List<ObjectVersionSummary> listVersions(String prefix);

    /**
     * A URL that lets whoever holds it GET one exact version of {@code key} without credentials, until {@code ttl}
     * has passed (on S3 a SigV4 pre-signed GetObject, at most 7 days; S3 User Guide, "Sharing objects with presigned
     * URLs"). Signing makes no request. Empty where the store cannot sign, as the in-memory fake of the tests.
     */
    default Optional<java.net.URI> presign(String key, String versionId, java.time.Duration ttl) {
        return Optional.empty();
    }

    /**
     * Deletes the current version of every key (a delete marker where versions are kept). Keys that do not exist
     * are not an error. After success none of the keys is listed by {@link #list(String)}.
     *
     * @return how many keys were deleted
     */
    int deleteAll(Collection<String> keys);

    /** An object's identity after a write. {@code versionId} is {@code null} where the store keeps no versions. */
    record ObjectVersion(String key, String versionId, String etag, long size) {
    }

    /** A listed current object. */
    record ObjectSummary(String key, String etag, long size, Instant lastModified) {
    }

    /** A listed version or delete marker. */
    record ObjectVersionSummary(String key, String versionId, Instant lastModified, boolean deleteMarker) {
    }

    /** A page of a listing; {@code truncated} when more objects follow the last one listed. */
    record Page(List<ObjectSummary> objects, boolean truncated) {
        /** ListObjectsV2 returns at most 1,000 keys per request (S3 API Reference, ListObjectsV2). */
        public static final int MAX_KEYS = 1_000;

        public Page {
            objects = List.copyOf(objects);
        }

        /** The key the next page starts after. */
        public String last() {
            return objects.isEmpty() ? null : objects.get(objects.size() - 1).key();
        }
    }

    /** A small object read whole. */
    record StoredObject(ObjectVersion version, byte[] content) {
    }
}
