package dev.backfill.partition;

import dev.backfill.job.JobResult;

/** How a partition commit ended. */
public sealed interface CommitOutcome {

    /**
     * The partition's manifest is now this one; its prefix holds exactly the manifest's parts unless the cleanup after
     * the commit failed ({@link Cleanup#pending()}).
     */
    record Committed(Manifest manifest, String manifestVersionId, Cleanup cleanup, JobResult result)
            implements CommitOutcome {

        /** How many objects the cleanup after the commit deleted. */
        public int deleted() {
            return cleanup.deleted();
        }
    }

    /**
     * A newer attempt owns the partition, so this one changed nothing. When {@code byRunId} is this attempt's own
     * run, another delivery of the same message already committed it: {@code rows} and {@code manifestVersionId}
     * describe that commit, and {@code cleanup} what this attempt did to finish that commit's cleanup.
     */
    record Superseded(String byRunId, CommitToken byToken, long rows, String manifestVersionId, Cleanup cleanup)
            implements CommitOutcome {

        public Superseded(String byRunId, CommitToken byToken, long rows, String manifestVersionId) {
            this(byRunId, byToken, rows, manifestVersionId, Cleanup.done(0));
        }
    }

    /**
     * The window is staged for its run: {@code staged} is the run's staged manifest of the partition (written by this
     * attempt, or by an earlier delivery of the same message); the live partition is untouched.
     */
    record Staged(StagedManifest staged, JobResult result) implements CommitOutcome {
    }
}
