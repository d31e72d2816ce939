package dev.backfill.store;

import java.io.FilterInputStream;
import java.io.InputStream;

/** An object's content being streamed, with the key and the exact version it comes from. */
public final class ObjectStream extends FilterInputStream {

    private final String key;
    private final String versionId;

    public ObjectStream(String key, String versionId, InputStream content) {
        super(content);
        this.key = key;
        this.versionId = versionId;
    }

    public String key() {
        return key;
    }

    /** The version being read; {@code null} where the store keeps no versions. */
    public String versionId() {
        return versionId;
    }
}
