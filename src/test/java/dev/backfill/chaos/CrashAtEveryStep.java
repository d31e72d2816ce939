package dev.backfill.chaos;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore;
import dev.backfill.testing.Bounded;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import dev.backfill.worker.WindowWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * R2: a partition committed by an older run is replaced by a newer one whose first attempt dies before or after each
 * S3 request it makes (ledger and commit protocol alike); the next delivery must converge. Throughout, a reader
 * thread reads the partition through its manifest (the current manifest, then the part versions it lists) and
 * checks that it sees the old partition or the new one, byte for byte — never a mix, a missing part or nothing.
 */
final class CrashAtEveryStep {

    static final String NAME = "R2 crash at every step";
    private static final long OLD_FENCE = 1_000;
    private static final long NEW_FENCE = 2_000;
    private static final long LATER_FENCE = 3_000;

    private CrashAtEveryStep() {
    }

    static ChaosFigure run(LocalDate first) throws InterruptedException {
        LocalServers servers = LocalServers.get();
        String bucket = servers.newBucket("crash");
        ObjectStore plain = new S3ObjectStore(servers.s3(), bucket);
        CrashingObjectStore crashing = new CrashingObjectStore(plain);

        // A dry run lists the steps: every S3 request of one delivery that replaces a committed partition. Under load
        // the SDK may retry a conditional PUT whose answer was lost after it landed; the 412 then costs a re-read, an
        // extra step no case would reach. The shortest of three dry runs is the path without such a retry.
        List<String> steps = null;
        for (int dry = 0; dry < 3; dry++) {
            LocalDate dryDay = first.minusDays(dry);
            seed(plain, dryDay);
            commitOld(plain, dryDay);
            crashing.disarm();
            worker(crashing).process(message("dry", dryDay, NEW_FENCE), 1);
            List<String> trace = crashing.trace();
            if (steps == null || trace.size() < steps.size()) {
                steps = trace;
            }
        }

        Tally tally = new Tally();
        int day = 1;
        for (int step = 0; step < steps.size(); step++) {
            for (CrashingObjectStore.When when : CrashingObjectStore.When.values()) {
                if (!crashOnce(plain, crashing, first.plusDays(day++), step, when, tally)) {
                    // The delivery made fewer requests than the dry run, so the armed one never came (21 of 22
                    // crashes, twice under load: once a dry run that took the lost-answer retry above, once not
                    // explained). The case runs once more on a fresh day, the requests of the missed delivery kept
                    // in the figure's values; its convergence and orphans still count, and a second miss fails.
                    tally.unreached.add(step + " " + when + ": " + crashing.lastDelivery());
                    tally.cases--;
                    crashOnce(plain, crashing, first.plusDays(day++), step, when, tally);
                }
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("steps", steps);
        values.put("cases", tally.cases);
        values.put("crashesFired", tally.crashes);
        values.put("reads", tally.reads.get());
        values.put("readsOld", tally.old.get());
        values.put("readsNew", tally.fresh.get());
        values.put("manifestMissesOfTheEmulator", tally.emulatorMisses.get());
        values.put("casesRunAgainArmedStepUnreached", tally.unreached);
        values.put("notConverged", tally.notConverged);
        values.put("orphansAfterRedelivery", tally.orphansAfterRedelivery);
        values.put("orphansAfterLaterCommit", tally.orphansAfterLater);
        return new ChaosFigure(NAME, String.format("%d cases: before and after each of %d S3 requests of a delivery",
                tally.cases, steps.size()),
                String.format("%d crashes; %d reads through the manifest during them: %d old, %d new; "
                        + "%d/%d converged on the next delivery", tally.crashes, tally.reads.get(), tally.old.get(),
                        tally.fresh.get(), tally.cases - tally.notConverged, tally.cases),
                tally.notConverged, 0, tally.reads.get() - tally.old.get() - tally.fresh.get(),
                tally.orphansAfterRedelivery, tally.crashes == tally.cases, values);
    }

    private static final class Tally {
        int cases;
        int crashes;
        int notConverged;
        int orphansAfterRedelivery;
        int orphansAfterLater;
        final AtomicLong reads = new AtomicLong();
        final AtomicLong old = new AtomicLong();
        final AtomicLong fresh = new AtomicLong();
        final AtomicLong emulatorMisses = new AtomicLong();
        final List<String> unreached = new ArrayList<>();
    }

    /** One case; whether its armed request came (and so the delivery crashed). */
    private static boolean crashOnce(ObjectStore plain, CrashingObjectStore crashing, LocalDate day, int step,
                                     CrashingObjectStore.When when, Tally tally) throws InterruptedException {
        boolean crashed = false;
        seed(plain, day);
        PartitionPath path = path(day);
        byte[] oldBytes = commitOld(plain, day);
        byte[] newBytes = PartitionAudit.reference(List.of(day)).get(day.toString());
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> {
            while (reading.get()) {
                Optional<byte[]> seen;
                try {
                    seen = PartitionAudit.partBytes(plain, path);
                    if (seen.isEmpty()) {
                        // S3Proxy's versioned in-memory store answers 404 for a moment while a key is overwritten
                        // (7 of 5,673 GETs racing 1,500 conditional PUTs of one key, probed here). S3 updates a key
                        // atomically: a GET racing a PUT sees the old or the new object (S3 User Guide, data
                        // consistency model). The manifest, committed before this reader started, is never deleted:
                        // read again, and only a second miss counts against the protocol.
                        tally.emulatorMisses.incrementAndGet();
                        seen = PartitionAudit.partBytes(plain, path);
                    }
                } catch (RuntimeException e) {
                    seen = Optional.empty();
                }
                tally.reads.incrementAndGet();
                if (seen.isPresent() && Arrays.equals(seen.get(), oldBytes)) {
                    tally.old.incrementAndGet();
                } else if (seen.isPresent() && Arrays.equals(seen.get(), newBytes)) {
                    tally.fresh.incrementAndGet();
                }
            }
        }, "chaos-reader");
        reader.start();
        try {
            tally.cases++;
            WindowWorker worker = worker(crashing);
            crashing.arm(step, when);
            try {
                worker.process(message("new", day, NEW_FENCE), 1);
            } catch (CrashingObjectStore.Crash e) {
                tally.crashes++;
                crashed = true;
            }
            crashing.keepLastDelivery();
            crashing.disarm();
            worker.process(message("new", day, NEW_FENCE), 2);
        } finally {
            reading.set(false);
            Bounded.join(reader, Duration.ofSeconds(30), "the partition reader, told to stop");
        }
        boolean converged = Arrays.equals(PartitionAudit.partBytes(plain, path).orElse(new byte[0]), newBytes)
                && new RunLedger(plain).window("new", day.toString()).map(WindowStatus::state)
                .filter(WindowState.SUCCEEDED::equals).isPresent();
        if (!converged) {
            tally.notConverged++;
        }
        tally.orphansAfterRedelivery += PartitionAudit.orphans(plain, path,
                PartitionAudit.manifest(plain, path).orElseThrow());
        worker(plain).process(message("later", day, LATER_FENCE), 1);
        tally.orphansAfterLater += PartitionAudit.orphans(plain, path,
                PartitionAudit.manifest(plain, path).orElseThrow());
        return crashed;
    }

    private static void seed(ObjectStore store, LocalDate day) {
        DemoEventGenerator.standard().writeDays(store, day, day.plusDays(1));
    }

    /** Commits the day with the demo's bug, so old and new partitions differ; returns the old part bytes. */
    private static byte[] commitOld(ObjectStore store, LocalDate day) {
        new WindowWorker(JobRegistry.of(List.of(new DailyEventCounts(DailyEventCounts.Logic.REFUNDS_AS_PURCHASES))),
                store, new RunLedger(store), RateBudget::unlimited, Clock.systemUTC(), () -> "old",
                ChaosRig.CODE_VERSION).process(message("old", day, OLD_FENCE), 1);
        return PartitionAudit.partBytes(store, path(day)).orElseThrow();
    }

    private static WindowWorker worker(ObjectStore store) {
        List<String> nonces = new ArrayList<>(List.of("n1", "n2", "n3", "n4"));
        return new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store, new RunLedger(store),
                RateBudget::unlimited, Clock.systemUTC(), () -> nonces.isEmpty() ? "nx" : nonces.remove(0),
                ChaosRig.CODE_VERSION);
    }

    private static WindowMessage message(String runId, LocalDate day, long fence) {
        return WindowMessage.of(runId, DailyEventCounts.NAME, Window.day(day, ZoneOffset.UTC), fence);
    }

    private static PartitionPath path(LocalDate day) {
        return PartitionPath.of(DailyEventCounts.NAME, Window.day(day, ZoneOffset.UTC));
    }
}
