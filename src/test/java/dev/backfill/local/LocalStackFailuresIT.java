package dev.backfill.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backfill.Json;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowEvent;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.local.config.LocalNames;
import dev.backfill.local.config.LocalStackConfig;
import dev.backfill.local.demo.DemoStory;
import dev.backfill.local.lambda.LambdaFunction;
import dev.backfill.window.WindowRange;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The local stack fails as Lambda does: a worker process killed mid-invocation (SIGKILL) fails that invocation and
 * is replaced; an invocation frozen past the timeout (SIGSTOP) ends as timed out and its process is killed and
 * replaced; either window's message comes back after its visibility timeout and commits — and the concurrency never
 * exceeds the cap. Every wait names what it waits for.
 */
@Timeout(600)
class LocalStackFailuresIT {

    private static final LocalDate MAR_01 = LocalDate.of(2026, 3, 1);
    private static final WindowRange MARCH = WindowRange.of(MAR_01, MAR_01.plusDays(30));
    private static final int CAP = 3;
    /** Long enough for a cold process's first window on a busy 2-core machine (10–25 s seen), short for the test. */
    private static final int WORKER_TIMEOUT_SECONDS = 30;
    /** Shorter than the 6 × timeout advised, so that the failed windows return within the test's time. */
    private static final int VISIBILITY_TIMEOUT_SECONDS = 40;

    private static LocalStack stack;
    private static LambdaClient lambda;

    @BeforeAll
    static void startStack() throws Exception {
        stack = LocalStack.start(LocalStackConfig.fromEnvironment(Map.of("BACKFILL_MAX_CONCURRENCY", "" + CAP,
                        "BACKFILL_LOCAL_WORKER_TIMEOUT_SECONDS", "" + WORKER_TIMEOUT_SECONDS,
                        "BACKFILL_LOCAL_VISIBILITY_TIMEOUT_SECONDS", "" + VISIBILITY_TIMEOUT_SECONDS))
                .withFreePorts()
                .withSeed(MARCH)
                .withLogDir(Path.of("target", "local-stack-failures-it", "logs")));
        lambda = DemoStory.lambdaClient(stack);
    }

    @AfterAll
    static void stopStack() {
        if (lambda != null) {
            lambda.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killedAndTimedOutWorkers_areReplaced_theirWindowsComeBackAndCommit_underTheCap() throws Exception {
        LambdaFunction worker = stack.workerFunction();
        List<Long> before = worker.pids();
        InvokeResponse response = lambda.invoke(r -> r.functionName(LocalNames.DISPATCHER).payload(SdkBytes
                .fromUtf8String("{\"action\":\"backfill\",\"job\":\"daily_event_counts\",\"start\":\"" + MARCH.start()
                        + "\",\"end\":\"" + MARCH.end() + "\"}")));
        DispatchSummary summary = Json.read(response.payload().asByteArray(), DispatchSummary.class);

        List<Long> killed = new java.util.ArrayList<>();
        // A window may finish between finding its process busy and the kill; then kill the next busy one.
        await("a worker killed mid-invocation: the invocation failed (Runtime.ExitError) and a new process took its "
                + "place").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    if (worker.crashes() >= 1) {
                        return true;
                    }
                    long pid = busyWorker(worker);
                    killed.add(pid);
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    return false;
                });
        await("the killed processes replaced").atMost(Duration.ofSeconds(10))
                .until(() -> worker.replacements() >= killed.size());

        long frozen = busyWorker(worker);
        signal("STOP", frozen);
        await("the frozen worker's invocation timed out after " + WORKER_TIMEOUT_SECONDS + " s and it was replaced")
                .atMost(Duration.ofSeconds(WORKER_TIMEOUT_SECONDS + 30))
                .until(() -> worker.timeouts() >= 1 && worker.replacements() >= killed.size() + 1);

        RunLedger ledger = new RunLedger(stack.store());
        List<String> labels = MARCH.start().datesUntil(MARCH.end()).map(LocalDate::toString).toList();
        await("every window of run " + summary.runId() + " succeeded, the two failed ones after their visibility "
                + "timeout (" + stack.config().visibilityTimeout().toSeconds() + " s)")
                .atMost(stack.config().visibilityTimeout().multipliedBy(3)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(labels).allSatisfy(label -> assertThat(ledger.window(summary.runId(),
                        label)).map(WindowStatus::state).contains(WindowState.SUCCEEDED)));

        // Every step a delivery records, not only the deciding one: a worker killed after it recorded its window
        // succeeded leaves attempt 1 deciding, though the window was delivered again (and acknowledged).
        assertThat(ledger.events(summary.runId()).stream().filter(event -> event.attempts() >= 2)
                .map(WindowEvent::label).distinct())
                .as("windows delivered again: the killed and the timed-out one").hasSizeGreaterThanOrEqualTo(2);
        assertThat(worker.pids()).as("processes after the failures").hasSize(before.size())
                .doesNotContainAnyElementsOf(killed).doesNotContain(frozen);
        assertThat(stack.peakConcurrency()).as("invocations in flight at once").isLessThanOrEqualTo(CAP);
        assertThat(stack.peakWorkerExecutions()).as("executions at once").isLessThanOrEqualTo(CAP);
        assertThat(stack.queueDepth().deadLettered()).as("dead-lettered windows").isZero();
    }

    /** Waits for a worker process that is running an invocation now. */
    private static long busyWorker(LambdaFunction worker) {
        long[] pid = new long[1];
        await("a worker process busy with a window").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    List<Long> busy = worker.busyPids();
                    if (busy.isEmpty()) {
                        return false;
                    }
                    pid[0] = busy.get(0);
                    return true;
                });
        return pid[0];
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        assertThat(exit).as("kill -%s %d", signal, pid).isZero();
    }
}
