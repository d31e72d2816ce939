package dev.backfill.dispatch;

import java.util.Locale;

/** Which windows of a requested range a backfill runs. */
public enum Reprocess {
    /** Every window: the corrected code replaces every partition of the range. */
    ALL,
    /** Windows with no committed partition. */
    MISSING,
    /** Windows whose latest attempt failed or was cancelled with nothing committed since. */
    FAILED,
    /**
     * Windows whose committed output is out of date, judged from the output itself: the manifest's recorded input
     * versions differ from the inputs now (an object changed, appeared or vanished), or its code version differs from
     * the deployed one. A window with no committed partition is stale too.
     */
    STALE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
