package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunProgress;
import java.util.Optional;

/** The {@code runId} (and optional {@code job}) fields that name an existing run, shared by the run actions. */
record RunLookup(String runId, Optional<String> job) {

    static RunLookup parse(ActionInput input) {
        return new RunLookup(input.runId("runId"), input.optionalText("job"));
    }

    /**
     * The run's progress.
     *
     * @throws InvalidRequestException if there is no such run, or it belongs to another job than the one named
     */
    RunProgress read(RunLedger ledger) {
        RunProgress progress = RunProgress.read(ledger, runId)
                .orElseThrow(() -> new InvalidRequestException("Unknown runId '" + runId + "'"));
        if (job.isPresent() && !job.get().equals(progress.run().job())) {
            throw new InvalidRequestException("runId '" + runId + "' is a run of job '" + progress.run().job()
                    + "', not of job '" + InvalidRequestException.shown(job.get()) + "'");
        }
        return progress;
    }
}
