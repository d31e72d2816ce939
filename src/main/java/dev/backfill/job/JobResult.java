package dev.backfill.job;

/** What a job reports after a window: rows it read and rows it wrote. */
public record JobResult(long rowsRead, long rowsWritten) {

    public JobResult {
        if (rowsRead < 0 || rowsWritten < 0) {
            throw new IllegalArgumentException(
                    "Row counts must not be negative: read " + rowsRead + ", written " + rowsWritten);
        }
    }
}
