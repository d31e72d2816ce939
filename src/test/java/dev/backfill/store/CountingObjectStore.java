package dev.backfill.store;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the S3 requests a store makes, by S3 operation: GetObject, PutObject, ListObjectsV2 (one per page of 1,000),
 * DeleteObjects (one per 1,000 keys).
 */
public final class CountingObjectStore extends ForwardingObjectStore {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    public CountingObjectStore(ObjectStore delegate) {
        super(delegate);
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> copy = new TreeMap<>();
        counts.forEach((operation, count) -> copy.put(operation, count.get()));
        return copy;
    }

    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public void reset() {
        counts.clear();
    }

    private void count(String operation, int requests) {
        counts.computeIfAbsent(operation, o -> new AtomicInteger()).addAndGet(requests);
    }

    @Override
    public Optional<StoredObject> get(String key) {
        count("GetObject", 1);
        return super.get(key);
    }

    @Override
    public ObjectStream open(String key) {
        count("GetObject", 1);
        return super.open(key);
    }

    @Override
    public ObjectVersion put(String key, byte[] content) {
        count("PutObject", 1);
        return super.put(key, content);
    }

    @Override
    public ObjectVersion put(String key, Path file) {
        count("PutObject", 1);
        return super.put(key, file);
    }

    @Override
    public ObjectVersion copy(String source, String target) {
        count("CopyObject", 1);
        return super.copy(source, target);
    }

    @Override
    public ObjectVersion putIfAbsent(String key, byte[] content) {
        count("PutObject", 1);
        return super.putIfAbsent(key, content);
    }

    @Override
    public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
        count("PutObject", 1);
        return super.putIfMatch(key, content, etag);
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        List<ObjectSummary> listed = super.list(prefix);
        count("ListObjectsV2", Math.max(1, (listed.size() + 999) / 1000));
        return listed;
    }

    @Override
    public Page listPage(String prefix, String startAfter) {
        count("ListObjectsV2", 1);
        return super.listPage(prefix, startAfter);
    }

    @Override
    public int deleteAll(Collection<String> keys) {
        count("DeleteObjects", (keys.size() + 999) / 1000);
        return super.deleteAll(keys);
    }
}
