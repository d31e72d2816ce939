package dev.backfill.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.testing.MutableClock;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowOutcome;
import dev.backfill.worker.WindowWorker;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a commit leaves when it loses: a delivery that committed and died before its cleanup (the next delivery of its
 * run removes the leftovers), and an attempt that lost its manifest PUT to a newer run after that run's cleanup (it
 * removes its own uploads).
 */
class CommitRecoveryTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final Window APR_09_WINDOW = Window.day(APR_09, ZoneOffset.UTC);
    private static final PartitionPath APR_09_PARTITION = PartitionPath.of(DailyEventCounts.NAME, APR_09_WINDOW);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);

    /** The process died here: an Error, which no catch of the worker's best-effort steps survives. */
    private static final class Killed extends Error {
    }

    @Test
    void redelivery_ofAWindowCommittedByADeliveryThatDiedBeforeItsCleanup_deletesTheLeftovers() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_09.plusDays(1));
        worker(store).process(message("run-old", 1_000), 1);
        ObjectStore dyingAtCleanup = new ForwardingObjectStore(store) {
            @Override
            public int deleteAll(Collection<String> keys) {
                throw new Killed();
            }
        };
        assertThatThrownBy(() -> worker(dyingAtCleanup).process(message("run-new", 2_000), 1))
                .isInstanceOf(Killed.class);
        assertThat(keys()).as("old part and staged upload left behind").hasSize(4);

        WindowOutcome redelivered = worker(store).process(message("run-new", 2_000), 2);

        assertThat(redelivered.result()).isEqualTo(WindowOutcome.Result.ALREADY_COMMITTED);
        Manifest manifest = new PartitionCommitter(store, clock).current(APR_09_PARTITION).orElseThrow();
        assertThat(keys()).containsExactlyInAnyOrder(APR_09_PARTITION.manifestKey(),
                manifest.parts().get(0).key());
    }

    @Test
    void attemptLosingItsIfMatchPut_toANewerRunThatCleanedUpMeanwhile_isSuperseded_andDeletesItsOwnUploads() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_09.plusDays(1));
        worker(store).process(message("run-old", 1_000), 1);
        ObjectStore newerRunCommitsFirst = new ForwardingObjectStore(store) {
            private boolean raced;

            @Override
            public ObjectVersion put(String key, java.nio.file.Path file) {
                if (!raced) {
                    // While this attempt's job ran, a newer run committed and cleaned up the partition.
                    raced = true;
                    worker(store).process(message("run-newer", 3_000), 1);
                }
                return super.put(key, file);
            }
        };

        WindowOutcome outcome = worker(newerRunCommitsFirst).process(message("run-mid", 2_000), 1);

        assertThat(outcome.result()).isEqualTo(WindowOutcome.Result.SUPERSEDED);
        Manifest manifest = new PartitionCommitter(store, clock).current(APR_09_PARTITION).orElseThrow();
        assertThat(manifest.runId()).isEqualTo("run-newer");
        assertThat(keys()).as("the loser's staged upload and its copy are gone")
                .containsExactlyInAnyOrder(APR_09_PARTITION.manifestKey(), manifest.parts().get(0).key());
    }

    @Test
    void olderDelivery_whoseStagedUploadANewerDeliveryCleanedAway_endsAsCommittedByItsRun_notAsAPermanentFailure() {
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_09.plusDays(1));
        ObjectStore twinCommitsAfterOurUpload = new ForwardingObjectStore(store) {
            private boolean raced;

            @Override
            public ObjectVersion put(String key, java.nio.file.Path file) {
                ObjectVersion uploaded = super.put(key, file);
                if (!raced) {
                    // A duplicate delivery with a higher receive count commits now; its cleanup deletes our upload.
                    raced = true;
                    worker(store).process(message("run-dup", 2_000), 2);
                }
                return uploaded;
            }
        };

        WindowOutcome outcome = worker(twinCommitsAfterOurUpload).process(message("run-dup", 2_000), 1);

        assertThat(outcome.result()).isEqualTo(WindowOutcome.Result.ALREADY_COMMITTED);
        Manifest manifest = new PartitionCommitter(store, clock).current(APR_09_PARTITION).orElseThrow();
        assertThat(keys()).containsExactlyInAnyOrder(APR_09_PARTITION.manifestKey(), manifest.parts().get(0).key());
    }

    private List<String> keys() {
        return store.list(APR_09_PARTITION.prefix()).stream().map(ObjectSummary::key).toList();
    }

    private WindowWorker worker(ObjectStore on) {
        return new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), on, new RunLedger(on),
                RateBudget::unlimited, clock, () -> "n1", "1.0");
    }

    private static WindowMessage message(String runId, long fence) {
        return WindowMessage.of(runId, DailyEventCounts.NAME, APR_09_WINDOW, fence);
    }
}
