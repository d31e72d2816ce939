package dev.backfill.chaos;

import dev.backfill.action.ActionRouter;
import dev.backfill.action.DispatcherActions;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.aws.SqsWindowQueue;
import dev.backfill.dispatch.Estimator;
import dev.backfill.function.InProcessWorker;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.local.aws.LocalResources;
import dev.backfill.local.lambda.EventSourceMapping;
import dev.backfill.local.lambda.Waits;
import dev.backfill.store.ObjectStore;
import dev.backfill.testing.LocalServers;
import dev.backfill.worker.Backoff;
import dev.backfill.worker.Deliveries;
import dev.backfill.worker.WindowWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One scenario's world over the embedded S3Proxy and ElasticMQ: a versioned bucket, a work queue with its DLQ
 * (redrive after {@value LocalResources#MAX_RECEIVE_COUNT} receives), the dispatcher's actions on that queue, and
 * the worker's handler code path fed by the local stack's event source mapping (batch size 1, the given cap). The
 * S3 and SQS clients are the caller's, so a scenario can put faults between them and the servers.
 */
final class ChaosRig implements AutoCloseable {

    static final String CODE_VERSION = "chaos";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final LocalServers servers = LocalServers.get();
    private final String bucket;
    private final ObjectStore store;
    private final LocalResources.Queues queues;
    private final SqsClient sqs;
    private final ExecutorService io = Executors.newFixedThreadPool(4);
    private final ExecutorService dispatch = Executors.newFixedThreadPool(4);
    private final InProcessWorker worker;
    private final ActionRouter router;
    private final Supplier<String> nonces;
    private EventSourceMapping mapping;

    /**
     * @param store the bucket's store as the functions see it (a faulty one, or {@link #plainStore} of it)
     * @param sqs   the SQS client the functions use
     */
    private ChaosRig(String hint, java.util.function.Function<String, ObjectStore> store, SqsClient sqs, long seed) {
        this.bucket = servers.newBucket(hint);
        this.store = store.apply(bucket);
        int n = NAMES.incrementAndGet();
        this.queues = LocalResources.createQueues(servers.sqs(), hint + "-work-" + n, hint + "-dlq-" + n,
                Duration.ofSeconds(30));
        this.sqs = sqs;
        Random random = new Random(seed);
        this.nonces = () -> {
            synchronized (random) {
                return Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            }
        };
        JobRegistry jobs = JobRegistry.of(List.of(DailyEventCounts.fixed()));
        Clock clock = Clock.systemUTC();
        SqsWindowQueue queue = new SqsWindowQueue(sqs, queues.workUrl(), Optional.of(queues.deadLetterUrl()), io, 3);
        // Retry at once: the back-off's length is the back-off test's business, the convergence is this one's.
        Backoff immediately = new Backoff(Duration.ofMillis(1), Duration.ofMillis(1));
        this.worker = new InProcessWorker(new WindowWorker(jobs, this.store, new RunLedger(this.store),
                RateBudget::unlimited, clock, nonces, CODE_VERSION), queue, immediately,
                new Deliveries(LocalResources.MAX_RECEIVE_COUNT), clock);
        this.router = DispatcherActions.router(jobs, this.store, queue, clock, RateBudget.unlimited(), nonces, io,
                dispatch, new DispatcherActions.Settings(ZoneOffset.UTC, 3660, CODE_VERSION, DailyEventCounts.NAME, 7,
                        new Estimator.Settings(4, 0, Duration.ofMinutes(5), 1024)));
    }

    /** A rig whose functions reach S3Proxy and ElasticMQ directly. */
    static ChaosRig plain(String hint, long seed) {
        LocalServers servers = LocalServers.get();
        return new ChaosRig(hint, b -> new S3ObjectStore(servers.s3(), b), servers.sqs(), seed);
    }

    /** A rig whose functions use these clients (with faults between them and the servers). */
    static ChaosRig through(String hint, java.util.function.Function<String, ObjectStore> store, SqsClient sqs,
                            long seed) {
        return new ChaosRig(hint, store, sqs, seed);
    }

    String bucket() {
        return bucket;
    }

    /** The bucket as the functions see it. */
    ObjectStore store() {
        return store;
    }

    /** The bucket without faults, for seeding and auditing. */
    ObjectStore plainStore() {
        return new S3ObjectStore(servers.s3(), bucket);
    }

    LocalResources.Queues queues() {
        return queues;
    }

    ActionRouter router() {
        return router;
    }

    InProcessWorker worker() {
        return worker;
    }

    /** Sends a body straight to the work queue, as a duplicate delivery or a hand-made message would arrive. */
    void sendRaw(String body) {
        servers.sqs().sendMessage(r -> r.queueUrl(queues.workUrl()).messageBody(body));
    }

    /** Starts the event source mapping: from now on the worker consumes the work queue, at most {@code cap} at once. */
    void startWorkers(int cap) {
        mapping = EventSourceMapping.start(servers.sqs(), queues.workUrl(), queues.workArn(), worker, 1, cap);
    }

    int peakConcurrency() {
        return mapping == null ? 0 : mapping.peakConcurrency();
    }

    /** Waits until the work queue is empty and no invocation runs. */
    void awaitDrained(Duration atMost) {
        Waits.until(() -> {
            LocalResources.QueueDepth depth = depth();
            return depth.visible() == 0 && depth.inFlight() == 0 && mapping.inFlight() == 0;
        }, atMost, () -> "work queue of " + bucket + " not drained: " + depth() + ", invocations in flight "
                + mapping.inFlight());
    }

    LocalResources.QueueDepth depth() {
        return LocalResources.depth(servers.sqs(), queues);
    }

    Map<String, Object> dispatch(String start, String end) {
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = dev.backfill.Json.mapper().convertValue(router.handle(Map.of("action", "backfill",
                "job", DailyEventCounts.NAME, "start", start, "end", end)), Map.class);
        return answer;
    }

    @Override
    public void close() {
        if (mapping != null) {
            mapping.close();
        }
        io.shutdownNow();
        dispatch.shutdownNow();
    }
}
