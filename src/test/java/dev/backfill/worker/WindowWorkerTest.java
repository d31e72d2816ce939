package dev.backfill.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.BackfillException;
import dev.backfill.InvalidRequestException;
import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.JobResult;
import dev.backfill.job.PartitionSink.PartWriter;
import dev.backfill.job.RateBudget;
import dev.backfill.job.OutputSchema;
import dev.backfill.job.WindowJob;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.testing.MutableClock;
import dev.backfill.window.Window;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One window delivery: run the job, commit the partition, and keep the ledger's account of it. */
class WindowWorkerTest {

    private static final Window APR_09 = Window.day(LocalDate.of(2026, 4, 9), ZoneOffset.UTC);
    private static final String LABEL = "2026-04-09";
    private static final Instant STARTED_AT = Instant.parse("2026-11-25T10:00:00Z");
    private static final Duration JOB_TAKES = Duration.ofSeconds(42);
    private static final long OLD_FENCE = 1_000;
    private static final long NEW_FENCE = 2_000;

    private final MutableClock clock = new MutableClock(STARTED_AT);
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private final RunLedger ledger = new RunLedger(store);
    private final FakeJob job = new FakeJob();
    private final WindowWorker worker = new WindowWorker(JobRegistry.of(List.of(job)), store, ledger,
            RateBudget::unlimited, clock, () -> "beef", "1.4.2");

    @Test
    void process_fenceMoreThanADayAhead_isRefusedWithoutTouchingLedgerOrPartition() {
        long tooFar = dev.backfill.ledger.Fences.ofClock(STARTED_AT.plus(Duration.ofDays(2)));

        assertThatThrownBy(() -> worker.process(message("run-a", tooFar), 1))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("Fence " + tooFar + " of run run-a lies more than 24 hours in the future");
        assertThat(store.listVersions("")).isEmpty();
    }

    @Test
    void process_ofACancelledRun_recordsTheWindowCancelledAndDoesNoWork() {
        ledger.cancel("run-a", STARTED_AT);

        WindowOutcome outcome = worker.process(message("run-a", OLD_FENCE), 1);

        assertThat(outcome.result()).isEqualTo(WindowOutcome.Result.CANCELLED);
        assertThat(job.ledgerDuringRun).isEmpty();
        assertThat(store.list("tables/")).isEmpty();
        assertThat(ledger.window("run-a", LABEL).orElseThrow().state()).isEqualTo(WindowState.CANCELLED);
    }

    @Test
    void process_successfulJob_marksWindowRunningThenSucceededWithRowsAttemptsAndDuration() {
        WindowOutcome outcome = worker.process(message("run-a", OLD_FENCE), 3);

        String manifestVersion = store.get(PartitionPath.of(FakeJob.NAME, APR_09).manifestKey()).orElseThrow()
                .version().versionId();
        assertThat(job.ledgerDuringRun).containsExactly(WindowStatus.running("run-a", LABEL, 3, STARTED_AT));
        assertThat(ledger.window("run-a", LABEL)).contains(new WindowStatus("run-a", LABEL, WindowState.SUCCEEDED,
                3, STARTED_AT, STARTED_AT.plus(JOB_TAKES), 42_000L, 2L, null, manifestVersion));
        assertThat(outcome).isEqualTo(new WindowOutcome(LABEL, WindowOutcome.Result.COMMITTED, 2, 1));
    }

    @Test
    void process_commitsThePartitionUnderTheMessagesFenceAndTheDeliveryCount() {
        worker.process(message("run-a", OLD_FENCE), 3);

        Manifest manifest = Json.read(store.get(PartitionPath.of(FakeJob.NAME, APR_09).manifestKey())
                .orElseThrow().content(), Manifest.class);
        assertThat(manifest.attempt()).isEqualTo("f1000-a3-beef");
        assertThat(manifest.runId()).isEqualTo("run-a");
        assertThat(manifest.codeVersion()).isEqualTo("1.4.2");
        assertThat(manifest.startedAt()).isEqualTo(STARTED_AT);
    }

    @Test
    void process_partitionOwnedByNewerRun_marksWindowSupersededWithoutRunningTheJob() {
        worker.process(message("run-new", NEW_FENCE), 1);
        int runsBefore = job.runs;

        WindowOutcome outcome = worker.process(message("run-old", OLD_FENCE), 1);

        assertThat(outcome).isEqualTo(new WindowOutcome(LABEL, WindowOutcome.Result.SUPERSEDED, 0, 0));
        assertThat(job.runs).isEqualTo(runsBefore);
        WindowStatus status = ledger.window("run-old", LABEL).orElseThrow();
        assertThat(status.state()).isEqualTo(WindowState.SUPERSEDED);
        assertThat(status.error()).isEqualTo("superseded by run run-new");
    }

    @Test
    void process_staleRedeliveryOfACommittedMessage_isAlreadyCommitted() {
        worker.process(message("run-a", OLD_FENCE), 2);
        String manifestVersion = store.get(PartitionPath.of(FakeJob.NAME, APR_09).manifestKey()).orElseThrow()
                .version().versionId();

        WindowOutcome outcome = worker.process(message("run-a", OLD_FENCE), 1);

        assertThat(outcome).isEqualTo(new WindowOutcome(LABEL, WindowOutcome.Result.ALREADY_COMMITTED, 2, 0));
        WindowStatus status = ledger.window("run-a", LABEL).orElseThrow();
        assertThat(status.state()).isEqualTo(WindowState.SUCCEEDED);
        assertThat(status.rows()).isEqualTo(2);
        assertThat(status.manifestVersionId()).isEqualTo(manifestVersion);
    }

    @Test
    void process_unknownJob_isRefusedBeforeAnythingIsWritten() {
        WindowMessage unknown = WindowMessage.of("run-a", "no_such_job", APR_09, OLD_FENCE);

        assertThatThrownBy(() -> worker.process(unknown, 1))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unknown job 'no_such_job'; known jobs: [fake_counts]");
        assertThat(store.listVersions("")).isEmpty();
    }

    @Test
    void process_jobRefusesItsInput_marksWindowFailedWithTheError() {
        job.failure = new BackfillException("Malformed event in raw/events/dt=2026-04-09/e.jsonl.gz at line 3: "
                + "not JSON");

        assertThatThrownBy(() -> worker.process(message("run-a", OLD_FENCE), 1)).isSameAs(job.failure);

        assertThat(ledger.window("run-a", LABEL)).contains(new WindowStatus("run-a", LABEL, WindowState.FAILED, 1,
                STARTED_AT, STARTED_AT.plus(JOB_TAKES), 42_000L, null,
                "BackfillException: Malformed event in raw/events/dt=2026-04-09/e.jsonl.gz at line 3: not JSON", null));
        assertThat(store.list(PartitionPath.of(FakeJob.NAME, APR_09).manifestKey())).isEmpty();
    }

    @Test
    void process_jobFailsToReadOrWrite_isRetryableAndMarksWindowFailed() {
        job.failure = new IOException("Connection reset by 10.0.0.7");

        assertThatThrownBy(() -> worker.process(message("run-a", OLD_FENCE), 2))
                .isExactlyInstanceOf(RetryableException.class)
                .hasMessage("Cannot process window 2026-04-09 of run run-a: IOException")
                .hasCause(job.failure);

        WindowStatus status = ledger.window("run-a", LABEL).orElseThrow();
        assertThat(status.state()).isEqualTo(WindowState.FAILED);
        assertThat(status.attempts()).isEqualTo(2);
        assertThat(status.error()).isEqualTo("RetryableException: Cannot process window 2026-04-09 of run run-a: "
                + "IOException");
    }

    @Test
    void process_ledgerFailingAfterTheCommit_stillReportsTheWindowCommitted() {
        WindowWorker flakyLedger = workerWithLedgerFailing("-succeeded-");

        WindowOutcome outcome = flakyLedger.process(message("run-a", OLD_FENCE), 1);

        assertThat(outcome.result()).isEqualTo(WindowOutcome.Result.COMMITTED);
        assertThat(store.get(PartitionPath.of(FakeJob.NAME, APR_09).manifestKey())).isPresent();
    }

    @Test
    void process_ledgerFailingWhileRecordingAFailure_keepsTheWindowsOwnException() {
        job.failure = new BackfillException("Malformed event at line 3");
        WindowWorker flakyLedger = workerWithLedgerFailing("-failed-");

        assertThatThrownBy(() -> flakyLedger.process(message("run-a", OLD_FENCE), 1))
                .isSameAs(job.failure)
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(suppressed -> assertThat(suppressed).hasMessage("PutObject failed with 503")));
    }

    private WindowWorker workerWithLedgerFailing(String step) {
        dev.backfill.store.ObjectStore failing = new dev.backfill.store.ForwardingObjectStore(store) {
            @Override
            public ObjectVersion put(String key, byte[] content) {
                if (key.contains(step)) {
                    throw new RetryableException("PutObject failed with 503");
                }
                return super.put(key, content);
            }
        };
        return new WindowWorker(JobRegistry.of(List.of(job)), failing, new RunLedger(failing),
                RateBudget::unlimited, clock, () -> "beef", "1.4.2");
    }

    private static WindowMessage message(String runId, long fence) {
        return WindowMessage.of(runId, FakeJob.NAME, APR_09, fence);
    }

    /**
     * Writes two lines and takes {@link #JOB_TAKES} by the test clock, or fails as told; notes what the ledger says
     * of run-a's window while it runs.
     */
    private final class FakeJob implements WindowJob {

        static final String NAME = "fake_counts";

        final List<WindowStatus> ledgerDuringRun = new ArrayList<>();
        Exception failure;
        int runs;

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String table() {
            return NAME;
        }

        @Override
        public OutputSchema outputSchema() {
            return new OutputSchema(List.of(OutputSchema.Column.string("type")), List.of());
        }

        @Override
        public JobResult run(JobContext context) throws IOException {
            runs++;
            ledger.window("run-a", LABEL).ifPresent(ledgerDuringRun::add);
            clock.advance(JOB_TAKES);
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            try (PartWriter part = context.sink().openPart()) {
                part.writeLine("{\"type\":\"cart\"}");
                part.writeLine("{\"type\":\"view\"}");
                return new JobResult(2, part.rows());
            }
        }
    }
}
