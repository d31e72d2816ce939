package dev.backfill.bench;

import dev.backfill.action.ActionRouter;
import dev.backfill.action.DispatcherActions;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.aws.SqsWindowQueue;
import dev.backfill.bench.Figure.Verdict;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * P1: the largest request (3,650 windows) dispatched on ElasticMQ and S3Proxy, beside a baseline run just before it
 * that sends one SendMessage per window; then {@code status} of that run.
 */
final class DispatchBench {

    private static final LocalDate JAN_01 = LocalDate.of(2026, 1, 1);
    private static final int WINDOWS = 3_650;

    private final LocalServers servers;

    DispatchBench(LocalServers servers) {
        this.servers = servers;
    }

    Section run() {
        String baselineQueue = servers.newQueue("bench-baseline");
        long baselineStarted = System.nanoTime();
        for (int day = 0; day < WINDOWS; day++) {
            String body = WindowMessage.of("baseline", DailyEventCounts.NAME,
                    Window.day(JAN_01.minusDays(WINDOWS - day), ZoneOffset.UTC), 1).toJson();
            servers.sqs().sendMessage(r -> r.queueUrl(baselineQueue).messageBody(body));
        }
        double baseline = (System.nanoTime() - baselineStarted) / 1e9;

        String bucket = servers.newBucket("bench-dispatch");
        String queue = servers.newQueue("bench-dispatch");
        ExecutorService io = Executors.newFixedThreadPool(8);
        ExecutorService dispatch = Executors.newFixedThreadPool(8);
        S3ObjectStore store = new S3ObjectStore(servers.s3(), bucket);
        ActionRouter router = DispatcherActions.router(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
                new SqsWindowQueue(servers.sqs(), queue, Optional.empty(), io, 3), Clock.systemUTC(),
                RateBudget.unlimited(), () -> "bench0", io, dispatch,
                new DispatcherActions.Settings(ZoneOffset.UTC, 3_660, "bench", DailyEventCounts.NAME, 7,
                        new Estimator.Settings(4, 0, Duration.ofMinutes(5), 1024)));
        // First a 3,650-window dispatch on a JVM that has not run one (a cold function), then one on a warm JVM.
        long coldStarted = System.nanoTime();
        router.handle(Map.of("action", "backfill", "job", DailyEventCounts.NAME, "start",
                JAN_01.minusDays(WINDOWS).toString(), "end", JAN_01.toString(), "idempotencyKey", "cold"));
        double cold = (System.nanoTime() - coldStarted) / 1e9;
        servers.sqs().purgeQueue(r -> r.queueUrl(queue));
        long started = System.nanoTime();
        DispatchSummary summary = (DispatchSummary) router.handle(Map.of("action", "backfill", "job",
                DailyEventCounts.NAME, "start", JAN_01.minusDays(WINDOWS).toString(), "end", JAN_01.toString()));
        double warm = (System.nanoTime() - started) / 1e9;
        long statusStarted = System.nanoTime();
        router.handle(Map.of("action", "status", "runId", summary.runId()));
        double status = (System.nanoTime() - statusStarted) / 1e9;
        int depth = servers.depth(queue);
        io.shutdown();
        dispatch.shutdown();
        return new Section("P1", "dispatch", "3,650 day windows through the dispatcher's backfill action in this JVM "
                + "(S3Proxy ledger, ElasticMQ queue, SendMessageBatch of 10 with 8 batches in flight), first in a "
                + "JVM that had not dispatched yet, then warm; baseline: one SendMessage per window, sequentially, "
                + "just before", List.of(
                dispatchFigure("P1 dispatch 3,650 windows, warm", "≤ 2 s and ≥ 10× baseline", warm, baseline,
                        Verdict.of(warm <= 2 && baseline / warm >= 10)),
                dispatchFigure("P1 dispatch 3,650 windows, cold JVM", null, cold, baseline, Verdict.INFO),
                new Figure("P1 messages on the queue", "exactly 3,650", String.format("%,d", depth), null, null,
                        Verdict.of(depth == WINDOWS && summary.enqueued() == WINDOWS),
                        Map.of("messages", depth, "enqueued", summary.enqueued())),
                new Figure("P1 status of that run", "≤ 1 s", Figure.seconds(status), null, null,
                        Verdict.of(status <= 1), Map.of("seconds", status))));
    }

    private static Figure dispatchFigure(String name, String goal, double seconds, double baseline, Verdict verdict) {
        return new Figure(name, goal, Figure.seconds(seconds), Figure.seconds(baseline) + " (SendMessage per window)",
                Figure.times(baseline / seconds, "faster"), verdict,
                Map.of("seconds", seconds, "baselineSeconds", baseline, "speedup", baseline / seconds));
    }
}
