package dev.backfill.bench;

import dev.backfill.bench.Figure.Verdict;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.local.lambda.EventSourceMapping;
import dev.backfill.testing.LocalServers;
import dev.backfill.window.Window;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * P2: N windows of a job that takes a fixed T, queued on ElasticMQ and run by the local stack's event source mapping
 * (batch size 1, MaximumConcurrency C) invoking an in-process function that sleeps T. Measures the mapping, not JVM
 * processes: the makespan against the ideal ⌈N/C⌉·T, and the functions in flight, sampled every millisecond.
 */
final class MakespanBench {

    private static final int WINDOWS = 200;
    private static final long SLEEP_MILLIS = 500;
    private static final LocalDate JAN_01 = LocalDate.of(2026, 1, 1);

    private final LocalServers servers;

    MakespanBench(LocalServers servers) {
        this.servers = servers;
    }

    Section run() throws InterruptedException {
        List<Figure> figures = new ArrayList<>();
        for (int concurrency : new int[] {4, 8}) {
            figures.addAll(run(concurrency));
        }
        return new Section("P2", "makespan", String.format("%d messages on an ElasticMQ queue, then the local "
                + "stack's EventSourceMapping (batch size 1, MaximumConcurrency C) invoking an in-process function "
                + "that sleeps %d ms, so the mapping is measured, not JVM processes; makespan from the mapping's "
                + "start to the end of the last invocation; ideal ⌈N/C⌉·T with T the invocations' mean duration; "
                + "concurrency = invocations running, sampled every 1 ms from the first start to the last end; "
                + "baseline: the seed's serial loop, computed as N·T + (N−1)·1 s from the same T", WINDOWS,
                SLEEP_MILLIS), figures);
    }

    private List<Figure> run(int concurrency) throws InterruptedException {
        String queueUrl = servers.newQueue("bench-makespan-" + concurrency);
        String queueArn = servers.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        enqueue(queueUrl);
        SleepingFunction function = new SleepingFunction(SLEEP_MILLIS, WINDOWS);
        Sampler sampler = new Sampler(function);
        long started = System.nanoTime();
        sampler.start();
        boolean done;
        try (EventSourceMapping mapping = EventSourceMapping.start(servers.sqs(), queueUrl, queueArn, function, 1,
                concurrency)) {
            done = function.awaitAll(120);
            sampler.stop();
            sampler.peakOfMapping(mapping.peakConcurrency());
        }
        if (!done) {
            throw new IllegalStateException("The mapping ran fewer than " + WINDOWS + " invocations in 120 s");
        }
        double t = function.meanSeconds(WINDOWS);
        double makespan = (function.lastEnd() - started) / 1e9;
        double ideal = Math.ceil(WINDOWS / (double) concurrency) * t;
        double serial = WINDOWS * t + (WINDOWS - 1);
        double atCap = sampler.shareAtLeast(concurrency, function.firstStart(), function.lastEnd());
        int peak = Math.max(function.peak(), sampler.peak());
        String name = String.format("P2 makespan N = %d, T = %d ms, C = %d", WINDOWS, SLEEP_MILLIS, concurrency);
        return List.of(
                new Figure(name, String.format("≤ 1.15 × ideal %s", Figure.seconds(ideal)),
                        String.format("%s (%.3f × ideal)", Figure.seconds(makespan), makespan / ideal),
                        Figure.seconds(serial) + " (serial loop, computed)",
                        Figure.times(serial / makespan, "faster"), Verdict.of(makespan <= 1.15 * ideal),
                        Map.of("makespanSeconds", makespan, "idealSeconds", ideal, "meanInvocationSeconds", t,
                                "serialLoopSeconds", serial, "concurrency", concurrency)),
                new Figure(String.format("P2 concurrency, C = %d", concurrency),
                        String.format("never > %d; %d for ≥ 90 %% of the run", concurrency, concurrency),
                        String.format("max %d; %d for %.1f %% of the run", peak, concurrency, 100 * atCap),
                        "1 (serial loop)", null, Verdict.of(peak <= concurrency && atCap >= 0.9),
                        Map.of("peak", peak, "shareAtCap", atCap, "samples", sampler.samples())));
    }

    private void enqueue(String queueUrl) {
        for (int from = 0; from < WINDOWS; from += 10) {
            List<SendMessageBatchRequestEntry> entries = IntStream.range(from, Math.min(WINDOWS, from + 10))
                    .mapToObj(i -> SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                            .messageBody(WindowMessage.of("bench-makespan", DailyEventCounts.NAME,
                                    Window.day(JAN_01.plusDays(i), ZoneOffset.UTC), 1).toJson()).build())
                    .toList();
            servers.sqs().sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
        }
    }

    /** Reads how many invocations run, every millisecond, on a thread of its own. */
    private static final class Sampler {

        private final SleepingFunction function;
        private final long[] times = new long[1_000_000];
        private final int[] running = new int[times.length];
        private final Thread thread;
        private volatile boolean sampling = true;
        private int count;
        private int peak;

        Sampler(SleepingFunction function) {
            this.function = function;
            this.thread = new Thread(this::sample, "concurrency-sampler");
        }

        void start() {
            thread.start();
        }

        private void sample() {
            while (sampling && count < times.length) {
                times[count] = System.nanoTime();
                running[count] = function.running();
                peak = Math.max(peak, running[count]);
                count++;
                LockSupport.parkNanos(1_000_000);
            }
        }

        void stop() throws InterruptedException {
            sampling = false;
            thread.join();
        }

        void peakOfMapping(int mappingPeak) {
            peak = Math.max(peak, mappingPeak);
        }

        int peak() {
            return peak;
        }

        int samples() {
            return count;
        }

        /** The share of samples between {@code from} and {@code to} that saw at least {@code level} running. */
        double shareAtLeast(int level, long from, long to) {
            int inRun = 0;
            int atLevel = 0;
            for (int i = 0; i < count; i++) {
                if (times[i] >= from && times[i] <= to) {
                    inRun++;
                    atLevel += running[i] >= level ? 1 : 0;
                }
            }
            return inRun == 0 ? 0 : atLevel / (double) inRun;
        }
    }
}
