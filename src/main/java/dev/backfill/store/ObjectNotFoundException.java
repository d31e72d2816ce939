package dev.backfill.store;

import dev.backfill.BackfillException;

/** The object, or the version of it, does not exist. */
public class ObjectNotFoundException extends BackfillException {

    public ObjectNotFoundException(String key, String versionId) {
        super(versionId == null ? "No object at " + key : "No version " + versionId + " of " + key);
    }
}
