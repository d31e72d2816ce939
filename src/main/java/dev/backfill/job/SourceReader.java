package dev.backfill.job;

import java.io.InputStream;
import java.util.List;

/**
 * A job's only way to read upstream data. Each call spends from the upstream rate budget, and every object opened is
 * recorded with the exact version read, so a partition's manifest says which inputs produced it.
 */
public interface SourceReader {

    /** The objects under {@code prefix}, in key order. */
    List<SourceObject> list(String prefix);

    /**
     * Opens the current version of an object and records that version as an input.
     *
     * @throws dev.backfill.store.ObjectNotFoundException if the object is gone
     */
    InputStream open(SourceObject object);

    /** The inputs opened so far, in the order they were opened. */
    List<InputRef> inputsRead();

    /** A listed source object. */
    record SourceObject(String key, long size) {
    }
}
