package dev.backfill.worker;

import dev.backfill.BackfillException;
import dev.backfill.InvalidRequestException;
import dev.backfill.RetryableException;
import dev.backfill.dispatch.Publish;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.job.AsOfSourceReader;
import dev.backfill.job.Deadline;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.JobResult;
import dev.backfill.job.ObjectStoreSourceReader;
import dev.backfill.job.RateBudget;
import dev.backfill.job.SourceReader;
import dev.backfill.job.WindowJob;
import dev.backfill.ledger.Fences;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.partition.CommitOutcome;
import dev.backfill.partition.CommitToken;
import dev.backfill.partition.PartitionCommitter;
import dev.backfill.partition.PartitionCommitter.CommitRequest;
import dev.backfill.partition.PartitionCommitter.Staged;
import dev.backfill.partition.PartitionPath;
import dev.backfill.partition.StagedCommitter;
import dev.backfill.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Processes one window message: runs the job, commits the partition and records the window's state in the ledger.
 * The same path serves the daily schedule and every backfill.
 */
public final class WindowWorker {

    /**
     * How far ahead of the clock a message's fence may lie. Fences are microseconds of the dispatch time, so a larger
     * one is hand-made or corrupt; committing it would lock the partition against every later run.
     */
    static final Duration MAX_FENCE_AHEAD = Duration.ofDays(1);

    private final JobRegistry jobs;
    private final ObjectStore store;
    private final PartitionCommitter committer;
    private final StagedCommitter stager;
    private final RunLedger ledger;
    private final Supplier<RateBudget> budgets;
    private final Clock clock;
    private final Supplier<String> nonces;
    private final String codeVersion;

    /**
     * @param budgets gives each window its reader's share of the upstream rate budget
     * @param nonces  short random lowercase hex strings that tell apart deliveries with the same receive count
     */
    public WindowWorker(JobRegistry jobs, ObjectStore store, RunLedger ledger, Supplier<RateBudget> budgets,
                        Clock clock, Supplier<String> nonces, String codeVersion) {
        this.jobs = Objects.requireNonNull(jobs, "jobs");
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.codeVersion = Objects.requireNonNull(codeVersion, "codeVersion");
        this.committer = new PartitionCommitter(store, clock);
        this.stager = new StagedCommitter(store, clock);
    }

    /**
     * Processes one delivery of a window message.
     *
     * @param attempt the delivery count of the message (SQS ApproximateReceiveCount), 1 for the first
     * @throws dev.backfill.InvalidRequestException if the message names an unknown job or carries a fence implausibly
     *                                             far in the future; retrying cannot help
     * @throws RetryableException                  if the window may succeed when delivered again
     * @throws BackfillException                   if the job failed on its input; the window is marked failed
     */
    public WindowOutcome process(WindowMessage message, int attempt) {
        return process(message, attempt, Deadline.none());
    }

    /**
     * Processes one delivery of a window message within {@code deadline}: the job gives the window back as retryable
     * rather than wait past it.
     *
     * @see #process(WindowMessage, int)
     */
    public WindowOutcome process(WindowMessage message, int attempt, Deadline deadline) {
        WindowJob job = jobs.require(message.job());
        String label = message.window().label();
        Instant now = clock.instant();
        long latestPlausible = Fences.ofClock(now.plus(MAX_FENCE_AHEAD));
        if (message.fence() > latestPlausible) {
            throw new InvalidRequestException("Fence " + message.fence() + " of run " + message.runId() + " lies more "
                    + "than " + MAX_FENCE_AHEAD.toHours() + " hours in the future (at most " + latestPlausible
                    + "): refusing to lock partition " + label + " against later runs");
        }
        if (ledger.isCancelled(message.runId())) {
            ledger.record(WindowStatus.cancelled(message.runId(), label, attempt, now));
            return new WindowOutcome(label, WindowOutcome.Result.CANCELLED, 0, 0);
        }
        WindowStatus running = WindowStatus.running(message.runId(), label, attempt, clock.instant());
        ledger.record(running);
        try {
            CommitOutcome outcome = commit(job, message, new CommitToken(message.fence(), attempt, nonces.get()),
                    running.startedAt(), deadline);
            return finish(running, outcome);
        } catch (RuntimeException e) {
            try {
                ledger.record(running.failed(clock.instant(), describe(e)));
            } catch (RuntimeException ledgerFailure) {
                // The window's own failure is what the queue and the operator must see.
                e.addSuppressed(ledgerFailure);
            }
            throw e;
        }
    }

    private CommitOutcome commit(WindowJob job, WindowMessage message, CommitToken token, Instant startedAt,
                                 Deadline deadline) {
        PartitionPath path = PartitionPath.of(job.table(), message.window());
        CommitRequest request = new CommitRequest(message.runId(), job.name(), message.window(), token, codeVersion,
                startedAt);
        PartitionCommitter.PartitionWriter writer = sink -> {
            RateBudget budget = budgets.get();
            SourceReader source = message.inputsAsOf() == null ? new ObjectStoreSourceReader(store, budget)
                    : new AsOfSourceReader(store, budget, message.inputsAsOf());
            JobResult result = job.run(new JobContext(message.window(), source, sink, budget, deadline));
            return new Staged(result, source.inputsRead());
        };
        try {
            return message.publishMode() == Publish.STAGED ? stager.stage(path, request, writer)
                    : committer.replace(path, request, writer);
        } catch (IOException | UncheckedIOException e) {
            throw new RetryableException("Cannot process window " + message.window().label() + " of run "
                    + message.runId() + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private WindowOutcome finish(WindowStatus running, CommitOutcome outcome) {
        Instant now = clock.instant();
        if (outcome instanceof CommitOutcome.Committed committed) {
            recordAfterCommit(running.succeeded(now, committed.manifest().rows(), committed.manifestVersionId()));
            return new WindowOutcome(running.label(), WindowOutcome.Result.COMMITTED, committed.manifest().rows(),
                    committed.deleted(), committed.cleanup().failure());
        }
        if (outcome instanceof CommitOutcome.Staged staged) {
            long rows = staged.staged().manifest().rows();
            recordAfterCommit(running.staged(now, rows, null));
            return new WindowOutcome(running.label(), WindowOutcome.Result.STAGED, rows, 0);
        }
        CommitOutcome.Superseded superseded = (CommitOutcome.Superseded) outcome;
        if (superseded.byRunId().equals(running.runId())) {
            // Another delivery of this very message committed first: the window is done, with that commit's rows.
            recordAfterCommit(running.succeeded(now, superseded.rows(), superseded.manifestVersionId()));
            return new WindowOutcome(running.label(), WindowOutcome.Result.ALREADY_COMMITTED, superseded.rows(),
                    superseded.cleanup().deleted(), superseded.cleanup().failure());
        }
        ledger.record(running.superseded(now, superseded.byRunId()));
        return new WindowOutcome(running.label(), WindowOutcome.Result.SUPERSEDED, 0, 0);
    }

    /**
     * Records a committed window. Best effort: the data is committed, so a failed ledger write must not fail the
     * window (it would be retried, recomputed, and end in the DLQ with its alarm); status then shows it running.
     */
    private void recordAfterCommit(WindowStatus succeeded) {
        try {
            ledger.record(succeeded);
        } catch (RuntimeException e) {
            // Left as is: a redelivery would find the manifest committed by this run and record it then.
        }
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
