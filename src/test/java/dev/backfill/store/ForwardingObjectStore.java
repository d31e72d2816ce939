package dev.backfill.store;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Passes every call to another store; tests override what they watch or break. */
public class ForwardingObjectStore implements ObjectStore {

    protected final ObjectStore delegate;

    public ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return delegate.get(key);
    }

    @Override
    public Optional<StoredObject> getVersion(String key, String versionId) {
        return delegate.getVersion(key, versionId);
    }

    @Override
    public ObjectStream open(String key) {
        return delegate.open(key);
    }

    @Override
    public ObjectStream openVersion(String key, String versionId) {
        return delegate.openVersion(key, versionId);
    }

    @Override
    public ObjectVersion put(String key, byte[] content) {
        return delegate.put(key, content);
    }

    @Override
    public ObjectVersion put(String key, Path file) {
        return delegate.put(key, file);
    }

    @Override
    public ObjectVersion copy(String source, String target) {
        return delegate.copy(source, target);
    }

    @Override
    public ObjectVersion putIfAbsent(String key, byte[] content) {
        return delegate.putIfAbsent(key, content);
    }

    @Override
    public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
        return delegate.putIfMatch(key, content, etag);
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        return delegate.list(prefix);
    }

    @Override
    public Page listPage(String prefix, String startAfter) {
        return delegate.listPage(prefix, startAfter);
    }

    @Override
    public List<ObjectVersionSummary> listVersions(String prefix) {
        return delegate.listVersions(prefix);
    }

    @Override
    public Optional<java.net.URI> presign(String key, String versionId, java.time.Duration ttl) {
        return delegate.presign(key, versionId, ttl);
    }

    @Override
    public int deleteAll(Collection<String> keys) {
        return delegate.deleteAll(keys);
    }
}
