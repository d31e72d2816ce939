package dev.backfill.audit;

import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The bucket as an audit's job sees it: every key under {@code tables/} lives under a scratch prefix instead, so the
 * commit protocol, and a job that reads its own output, work on a copy and the live tables stay untouched; every
 * other key (the job's inputs) is read through, and never written. Listings under {@code tables/} answer the keys
 * as the job would see them.
 */
final class ScratchStore implements ObjectStore {

    private static final String TABLES = "tables/";

    private final ObjectStore store;
    private final String root;

    /** @param root the scratch prefix, ending with {@code /}, such as {@code _backfill/audit/<id>/a/} */
    ScratchStore(ObjectStore store, String root) {
        this.store = Objects.requireNonNull(store, "store");
        if (!root.startsWith("_backfill/audit/") || !root.endsWith("/")) {
            throw new IllegalArgumentException("An audit's scratch prefix lives under _backfill/audit/: " + root);
        }
        this.root = root;
    }

    String root() {
        return root;
    }

    private String read(String key) {
        return key.startsWith(TABLES) ? root + key : key;
    }

    private String write(String key) {
        if (!key.startsWith(TABLES)) {
            throw new IllegalStateException("An audit writes only its scratch copy of tables/, not " + key);
        }
        return root + key;
    }

    private String back(String key) {
        return key.startsWith(root) ? key.substring(root.length()) : key;
    }

    private ObjectVersion back(ObjectVersion version) {
        return new ObjectVersion(back(version.key()), version.versionId(), version.etag(), version.size());
    }

    private Optional<StoredObject> back(Optional<StoredObject> stored) {
        return stored.map(object -> new StoredObject(back(object.version()), object.content()));
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return back(store.get(read(key)));
    }

    @Override
    public Optional<StoredObject> getVersion(String key, String versionId) {
        return back(store.getVersion(read(key), versionId));
    }

    @Override
    public ObjectStream open(String key) {
        return store.open(read(key));
    }

    @Override
    public ObjectStream openVersion(String key, String versionId) {
        return store.openVersion(read(key), versionId);
    }

    @Override
    public ObjectVersion put(String key, byte[] content) {
        return back(store.put(write(key), content));
    }

    @Override
    public ObjectVersion put(String key, Path file) {
        return back(store.put(write(key), file));
    }

    @Override
    public ObjectVersion copy(String source, String target) {
        return back(store.copy(read(source), write(target)));
    }

    @Override
    public ObjectVersion putIfAbsent(String key, byte[] content) {
        return back(store.putIfAbsent(write(key), content));
    }

    @Override
    public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
        return back(store.putIfMatch(write(key), content, etag));
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        return store.list(read(prefix)).stream()
                .map(object -> new ObjectSummary(back(object.key()), object.etag(), object.size(),
                        object.lastModified()))
                .toList();
    }

    @Override
    public Page listPage(String prefix, String startAfter) {
        Page page = store.listPage(read(prefix), startAfter == null ? null : read(startAfter));
        return new Page(page.objects().stream()
                .map(object -> new ObjectSummary(back(object.key()), object.etag(), object.size(),
                        object.lastModified()))
                .toList(), page.truncated());
    }

    @Override
    public List<ObjectVersionSummary> listVersions(String prefix) {
        return store.listVersions(read(prefix)).stream()
                .map(version -> new ObjectVersionSummary(back(version.key()), version.versionId(),
                        version.lastModified(), version.deleteMarker()))
                .toList();
    }

    @Override
    public int deleteAll(Collection<String> keys) {
        return store.deleteAll(keys.stream().map(this::write).toList());
    }
}
