package dev.backfill.chaos;

import dev.backfill.Json;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.local.LocalStack;
import dev.backfill.local.config.LocalNames;
import dev.backfill.local.config.LocalStackConfig;
import dev.backfill.local.demo.DemoStory;
import dev.backfill.local.lambda.LambdaFunction;
import dev.backfill.local.lambda.Waits;
import dev.backfill.testing.Bounded;
import dev.backfill.window.WindowRange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * End to end on the local stack — the packaged function zip in worker processes, the event source mapping, S3Proxy
 * and ElasticMQ — while a killer SIGKILLs worker processes at seeded random moments (busy ones first) and freezes one
 * busy process (SIGSTOP) past the worker timeout. Every window must succeed, byte-identical to a fault-free run, with
 * the DLQ empty and no orphan left.
 */
final class EndToEnd {

    static final String NAME = "End to end, SIGKILLs";
    private static final int CAP = 4;
    private static final int WORKER_TIMEOUT_SECONDS = 30;
    private static final int VISIBILITY_TIMEOUT_SECONDS = 40;

    private EndToEnd() {
    }

    static ChaosFigure run(LocalDate first, int days, int kills, long seed) throws Exception {
        WindowRange range = WindowRange.of(first, first.plusDays(days));
        Map<String, byte[]> expected = PartitionAudit.reference(first.datesUntil(range.end()).toList());
        try (LocalStack stack = LocalStack.start(LocalStackConfig.fromEnvironment(Map.of(
                        "BACKFILL_MAX_CONCURRENCY", "" + CAP,
                        "BACKFILL_LOCAL_WORKER_TIMEOUT_SECONDS", "" + WORKER_TIMEOUT_SECONDS,
                        "BACKFILL_LOCAL_VISIBILITY_TIMEOUT_SECONDS", "" + VISIBILITY_TIMEOUT_SECONDS))
                .withFreePorts().withSeed(range).withLogDir(Path.of("target", "chaos", "logs")));
             LambdaClient lambda = DemoStory.lambdaClient(stack)) {
            LambdaFunction worker = stack.workerFunction();
            Killer killer = new Killer(worker, kills, seed);
            Thread killing = new Thread(killer, "chaos-killer");
            long started = System.nanoTime();
            DispatchSummary summary = Json.read(lambda.invoke(r -> r.functionName(LocalNames.DISPATCHER)
                    .payload(SdkBytes.fromUtf8String("{\"action\":\"backfill\",\"job\":\"daily_event_counts\","
                            + "\"start\":\"" + range.start() + "\",\"end\":\"" + range.end() + "\"}")))
                    .payload().asByteArray(), DispatchSummary.class);
            killing.start();
            RunLedger ledger = new RunLedger(stack.store());
            List<String> labels = first.datesUntil(range.end()).map(LocalDate::toString).toList();
            try {
                Waits.until(() -> killer.done() && labels.stream().allMatch(label -> ledger.window(summary.runId(),
                        label).map(WindowStatus::state).filter(WindowState.SUCCEEDED::equals).isPresent()),
                        Duration.ofMinutes(6), () -> "run " + summary.runId() + " did not finish: " + killer
                                + ", queue " + stack.queueDepth());
            } finally {
                killer.stop();
                Bounded.join(killing, Duration.ofSeconds(30), "the chaos killer, told to stop");
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            PartitionAudit.Result audit = PartitionAudit.audit(stack.store(), expected);
            int redelivered = (int) labels.stream().filter(label -> ledger.window(summary.runId(), label)
                    .orElseThrow().attempts() > 1).count();
            int deadLettered = stack.queueDepth().deadLettered();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("windows", days);
            values.put("kills", killer.killsDone.get());
            values.put("frozen", killer.frozen.get());
            values.put("invocationsFailedByExit", worker.crashes());
            values.put("invocationsTimedOut", worker.timeouts());
            values.put("processesReplaced", worker.replacements());
            values.put("windowsRedelivered", redelivered);
            values.put("peakConcurrency", stack.peakConcurrency());
            values.put("deadLettered", deadLettered);
            values.put("seconds", Math.round(seconds));
            return new ChaosFigure(NAME, String.format("%d-day backfill, packaged zip, cap %d: %d SIGKILLs (%d mid-"
                    + "invocation), 1 window frozen past its %d s timeout", days, CAP, killer.killsDone.get(),
                    worker.crashes(), WORKER_TIMEOUT_SECONDS),
                    String.format("%d/%d succeeded (%d redelivered), byte-identical: %d; %d timed out; %d processes "
                            + "replaced; peak %d ≤ cap; DLQ %d; %.0f s", days, days, redelivered,
                            days - audit.lost() - audit.differing(), worker.timeouts(), worker.replacements(),
                            stack.peakConcurrency(), deadLettered, seconds),
                    audit.lost() + audit.differing(), audit.duplicateRows(), 0, audit.orphans(),
                    deadLettered == 0 && killer.killsDone.get() >= kills && worker.timeouts() >= 1
                            && stack.peakConcurrency() <= CAP, values);
        }
    }

    /** Freezes a busy worker process, then kills worker processes at seeded random moments, a busy one if any. */
    private static final class Killer implements Runnable {
        private final LambdaFunction worker;
        private final int kills;
        private final Random random;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger killsDone = new AtomicInteger();
        final AtomicInteger frozen = new AtomicInteger();
        private long frozenPid;
        private int timeoutsBeforeFreeze;

        Killer(LambdaFunction worker, int kills, long seed) {
            this.worker = worker;
            this.kills = kills;
            this.random = new Random(seed);
        }

        boolean done() {
            return killsDone.get() >= kills && frozen.get() >= 1;
        }

        void stop() {
            running.set(false);
        }

        @Override
        public void run() {
            while (running.get() && !done()) {
                pause(300 + random.nextInt(1_200));
                List<Long> busy = new ArrayList<>(worker.busyPids());
                if (frozenPid != 0) {
                    checkFreeze();
                    busy.remove(frozenPid); // killing it would turn its timeout into a crash
                } else if (frozen.get() == 0 && !busy.isEmpty()) {
                    freeze(busy.remove(random.nextInt(busy.size())));
                }
                if (killsDone.get() < kills) {
                    List<Long> targets = new ArrayList<>(busy.isEmpty() ? worker.pids() : busy);
                    targets.remove(frozenPid);
                    if (targets.isEmpty()) {
                        continue;
                    }
                    long pid = targets.get(random.nextInt(targets.size()));
                    ProcessHandle.of(pid).ifPresent(p -> {
                        if (p.destroyForcibly()) {
                            killsDone.incrementAndGet();
                        }
                    });
                }
            }
            if (frozenPid != 0) {
                signal("-CONT", frozenPid);
            }
        }

        /** Stops a busy process (SIGSTOP), first thing, so that its timeout runs out while the kills go on. */
        private void freeze(long pid) {
            timeoutsBeforeFreeze = worker.timeouts();
            if (signal("-STOP", pid)) {
                frozenPid = pid;
            }
        }

        /**
         * Counts the frozen process once the local stack has timed its invocation out. A process seen busy may answer
         * just before the signal takes hold: then it sits frozen and idle, no invocation times out, and it is woken
         * (SIGCONT) for another try — why a run once ended with 0 timeouts.
         */
        private void checkFreeze() {
            if (worker.timeouts() > timeoutsBeforeFreeze) {
                frozen.incrementAndGet();
                frozenPid = 0;
                return;
            }
            boolean alive = ProcessHandle.of(frozenPid).map(ProcessHandle::isAlive).orElse(false);
            if (alive && !worker.busyPids().contains(frozenPid) && worker.timeouts() == timeoutsBeforeFreeze) {
                signal("-CONT", frozenPid);
                frozenPid = 0;
            }
        }

        private static boolean signal(String signal, long pid) {
            try {
                return new ProcessBuilder("kill", signal, Long.toString(pid)).start().waitFor() == 0;
            } catch (IOException e) {
                System.err.println("chaos: cannot send " + signal + " to worker " + pid + ": " + e);
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** The killer's random pace between blows: fault timing, not synchronisation. */
        private void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
        }

        @Override
        public String toString() {
            return killsDone.get() + " of " + kills + " kills, " + frozen.get() + " frozen";
        }
    }
}
