package dev.backfill.aws;

import dev.backfill.BackfillException;
import dev.backfill.RetryableException;
import dev.backfill.store.ObjectNotFoundException;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStream;
import dev.backfill.store.PreconditionFailedException;
import dev.backfill.store.ThrottledException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

/** {@link ObjectStore} on one S3 bucket, through one shared {@link S3Client}. */
public final class S3ObjectStore implements ObjectStore {

    /** DeleteObjects accepts at most 1,000 keys per request (S3 API Reference, DeleteObjects). */
    static final int DELETE_BATCH = 1_000;

    /** A SigV4 pre-signed URL is valid for at most 7 days (S3 User Guide, "Sharing objects with presigned URLs"). */
    static final Duration MAX_PRESIGNED = Duration.ofDays(7);

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    /** A store that cannot sign URLs: {@link #presign} answers empty. */
    public S3ObjectStore(S3Client s3, String bucket) {
        this(s3, null, bucket);
    }

    /** @param presigner signs GET URLs with the same endpoint and credentials as {@code s3}; null for none */
    public S3ObjectStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.presigner = presigner;
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return getBytes(key, null);
    }

    @Override
    public Optional<StoredObject> getVersion(String key, String versionId) {
        return getBytes(key, Objects.requireNonNull(versionId, "versionId"));
    }

    private Optional<StoredObject> getBytes(String key, String versionId) {
        try {
            ResponseBytes<GetObjectResponse> bytes = call("GetObject", key,
                    () -> s3.getObjectAsBytes(getRequest(key, versionId)));
            GetObjectResponse response = bytes.response();
            byte[] content = bytes.asByteArray();
            return Optional.of(new StoredObject(
                    new ObjectVersion(key, response.versionId(), response.eTag(), content.length), content));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public ObjectStream open(String key) {
        ResponseInputStream<GetObjectResponse> in = call("GetObject", key, () -> s3.getObject(getRequest(key, null)));
        return new ObjectStream(key, in.response().versionId(), in);
    }

    @Override
    public ObjectStream openVersion(String key, String versionId) {
        ResponseInputStream<GetObjectResponse> in = call("GetObject", key,
                () -> s3.getObject(getRequest(key, Objects.requireNonNull(versionId, "versionId"))));
        return new ObjectStream(key, in.response().versionId(), in);
    }

    @Override
    public ObjectVersion put(String key, byte[] content) {
        return written(key, content.length, call("PutObject", key,
                () -> s3.putObject(putRequest(key).build(), RequestBody.fromBytes(content))));
    }

    @Override
    public ObjectVersion put(String key, Path file) {
        long size = file.toFile().length();
        return written(key, size, call("PutObject", key,
                () -> s3.putObject(putRequest(key).build(), RequestBody.fromFile(file))));
    }

    @Override
    public ObjectVersion copy(String source, String target) {
        var response = call("CopyObject", source, () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey(source)
                .destinationBucket(bucket).destinationKey(target)));
        // CopyObject does not report the size; callers that need it know it from the source.
        return new ObjectVersion(target, response.versionId(), response.copyObjectResult().eTag(), -1);
    }

    @Override
    public ObjectVersion putIfAbsent(String key, byte[] content) {
        return written(key, content.length, call("PutObject", key,
                () -> s3.putObject(putRequest(key).ifNoneMatch("*").build(), RequestBody.fromBytes(content))));
    }

    @Override
    public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
        try {
            return written(key, content.length, call("PutObject", key,
                    () -> s3.putObject(putRequest(key).ifMatch(etag).build(), RequestBody.fromBytes(content))));
        } catch (ObjectNotFoundException e) {
            // S3 answers If-Match on a key deleted since it was read with 404 NoSuchKey: the condition failed.
            throw new PreconditionFailedException(key);
        }
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        return call("ListObjectsV2", prefix, () -> s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                .contents().stream()
                .map(o -> new ObjectSummary(o.key(), o.eTag(), o.size(), o.lastModified()))
                .toList());
    }

    @Override
    public Page listPage(String prefix, String startAfter) {
        return call("ListObjectsV2", prefix, () -> {
            var response = s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).startAfter(startAfter));
            return new Page(response.contents().stream()
                    .map(o -> new ObjectSummary(o.key(), o.eTag(), o.size(), o.lastModified()))
                    .toList(), Boolean.TRUE.equals(response.isTruncated()));
        });
    }

    @Override
    public List<ObjectVersionSummary> listVersions(String prefix) {
        return call("ListObjectVersions", prefix, () -> {
            // The SDK hands versions and delete markers over in two lists: merged again by key and time, the
            // current one (IsLatest) first within its second.
            List<Listed> all = new ArrayList<>();
            s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(prefix)).forEach(page -> {
                page.versions().forEach(v -> all.add(new Listed(
                        new ObjectVersionSummary(v.key(), v.versionId(), v.lastModified(), false),
                        Boolean.TRUE.equals(v.isLatest()))));
                page.deleteMarkers().forEach(m -> all.add(new Listed(
                        new ObjectVersionSummary(m.key(), m.versionId(), m.lastModified(), true),
                        Boolean.TRUE.equals(m.isLatest()))));
            });
            all.sort(Comparator.comparing((Listed listed) -> listed.version().key())
                    .thenComparing(listed -> listed.version().lastModified().truncatedTo(ChronoUnit.SECONDS),
                            Comparator.reverseOrder())
                    .thenComparing(listed -> !listed.latest())
                    .thenComparing(listed -> listed.version().lastModified(), Comparator.reverseOrder()));
            return all.stream().map(Listed::version).toList();
        });
    }

    private record Listed(ObjectVersionSummary version, boolean latest) {
    }

    @Override
    public Optional<URI> presign(String key, String versionId, Duration ttl) {
        if (presigner == null) {
            return Optional.empty();
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_PRESIGNED) > 0) {
            throw new IllegalArgumentException("Cannot presign " + key + " for " + ttl + ": from 1 s to "
                    + MAX_PRESIGNED);
        }
        PresignedGetObjectRequest signed = presigner.presignGetObject(r -> r.signatureDuration(ttl)
                .getObjectRequest(getRequest(key, versionId)));
        try {
            return Optional.of(signed.url().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The presigner made a malformed URL for " + key, e);
        }
    }

    @Override
    public int deleteAll(Collection<String> keys) {
        List<String> all = List.copyOf(keys);
        int deleted = 0;
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH)).stream()
                    .map(key -> ObjectIdentifier.builder().key(key).build())
                    .toList();
            DeleteObjectsResponse response = call("DeleteObjects", batch.get(0).key(), () -> s3.deleteObjects(
                    r -> r.bucket(bucket).delete(Delete.builder().objects(batch).quiet(true).build())));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                S3Error first = response.errors().get(0);
                throw new RetryableException("DeleteObjects failed for " + response.errors().size() + " of "
                        + batch.size() + " keys, first " + first.key() + ": " + first.code());
            }
            deleted += batch.size();
        }
        return deleted;
    }

    private GetObjectRequest getRequest(String key, String versionId) {
        return GetObjectRequest.builder().bucket(bucket).key(key).versionId(versionId).build();
    }

    private PutObjectRequest.Builder putRequest(String key) {
        return PutObjectRequest.builder().bucket(bucket).key(key);
    }

    private static ObjectVersion written(String key, long size, PutObjectResponse response) {
        return new ObjectVersion(key, response.versionId(), response.eTag(), size);
    }

    /** Maps SDK failures onto the port's: 404 not found, 412/409 lost condition, 429/503 throttled, 5xx retryable. */
    private <T> T call(String operation, String key, Supplier<T> request) {
        try {
            return request.get();
        } catch (S3Exception e) {
            int status = e.statusCode();
            if (status == 404 || status == 405) {
                // 405: the version asked for is a delete marker.
                throw new ObjectNotFoundException(key, null);
            }
            if (status == 412 || status == 409) {
                // 409 ConditionalRequestConflict: a concurrent conditional write to the same key won.
                throw new PreconditionFailedException(key);
            }
            if (e.isThrottlingException() || status == 429 || status == 503) {
                // 503 SlowDown is how S3 says "too many requests" (S3 User Guide, "Best practices design patterns").
                throw new ThrottledException(operation + " " + key + " was throttled: " + status + " "
                        + errorCode(e), e);
            }
            if (status >= 500) {
                throw new RetryableException(operation + " " + key + " failed with " + status + " "
                        + errorCode(e), e);
            }
            throw new BackfillException(operation + " " + key + " in bucket " + bucket + " failed with " + status
                    + " " + errorCode(e), e);
        } catch (SdkClientException e) {
            throw new RetryableException(operation + " " + key + " failed: " + e.getMessage(), e);
        }
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    }
}
