package dev.backfill.job;

import java.util.Objects;

/** One exact input object version a partition was computed from. {@code versionId} is null without versioning. */
public record InputRef(String key, String versionId) {

    public InputRef {
        Objects.requireNonNull(key, "key");
    }
}
