package dev.backfill.partition;

import dev.backfill.job.JobResult;

/** How a partition commit ended. */
public sealed interface CommitOutcome {

    /** The partition now holds exactly this manifest's parts. */
    record Committed(Manifest manifest, String manifestVersionId, int deleted, JobResult result)
            implements CommitOutcome {
    }

    /**
     * A newer attempt owns the partition, so this one changed nothing. When {@code byRunId} is this attempt's own
     * run, another delivery of the same message already committed it: {@code rows} and {@code manifestVersionId}
     * describe that commit.
     */
    record Superseded(String byRunId, CommitToken byToken, long rows, String manifestVersionId)
            implements CommitOutcome {
    }

    /**
     * The window is staged for its run: {@code staged} is the run's staged manifest of the partition (written by this
     * attempt, or by an earlier delivery of the same message); the live partition is untouched.
     */
    record Staged(StagedManifest staged, JobResult result) implements CommitOutcome {
    }
}
