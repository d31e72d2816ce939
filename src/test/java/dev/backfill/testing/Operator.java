package dev.backfill.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.InvalidRequestException;
import dev.backfill.Json;
import dev.backfill.action.ActionRouter;
import dev.backfill.action.DispatcherActions;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.job.WindowJob;
import dev.backfill.ledger.RunLedger;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.worker.WindowOutcome;
import dev.backfill.worker.WindowWorker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The dispatcher's actions and a worker over one object store and a recording queue, driven with JSON as an operator
 * drives them: {@code operator.call("{\"action\":\"status\",...}")}. For domain tests; closes its threads.
 */
public final class Operator implements AutoCloseable {

    public static final String CODE_VERSION = "1.4.2";

    private final ObjectStore store;
    private final RecordingQueue queue = new RecordingQueue();
    private final MutableClock clock;
    private final ExecutorService io = Executors.newFixedThreadPool(4);
    private final ExecutorService dispatch = Executors.newFixedThreadPool(4);
    private final ActionRouter router;
    private final WindowWorker worker;

    public Operator(ObjectStore store, MutableClock clock, ZoneId zone, int maxWindows, List<WindowJob> jobs) {
        this(store, clock, zone, maxWindows, jobs, DispatcherActions.TimeTravel.DEFAULTS);
    }

    public Operator(ObjectStore store, MutableClock clock, ZoneId zone, int maxWindows, List<WindowJob> jobs,
                    DispatcherActions.TimeTravel timeTravel) {
        this.store = store;
        this.clock = clock;
        AtomicInteger nonce = new AtomicInteger();
        JobRegistry registry = JobRegistry.of(jobs);
        this.router = DispatcherActions.router(registry, store, queue, clock, RateBudget.unlimited(),
                () -> String.format("%06x", nonce.incrementAndGet()), io, dispatch,
                new DispatcherActions.Settings(zone, maxWindows, CODE_VERSION, jobs.get(0).name(), 7,
                        new Estimator.Settings(4, 0, Duration.ofMinutes(5), 1024), timeTravel));
        this.worker = new WindowWorker(registry, store, new RunLedger(store), RateBudget::unlimited, clock,
                () -> String.format("w%05x", nonce.incrementAndGet()), CODE_VERSION);
    }

    /** The example job, UTC days, over a fresh in-memory bucket whose clock starts at {@code now}. */
    public static Operator inMemory(Instant now) {
        MutableClock clock = new MutableClock(now);
        return new Operator(new InMemoryObjectStore(clock), clock, ZoneOffset.UTC, 3660,
                List.of(DailyEventCounts.fixed()));
    }

    public ObjectStore store() {
        return store;
    }

    public RecordingQueue queue() {
        return queue;
    }

    public MutableClock clock() {
        return clock;
    }

    public RunLedger ledger() {
        return new RunLedger(store);
    }

    /** Calls the dispatcher with a JSON request and answers its JSON answer. */
    public JsonNode call(String json) {
        return Json.mapper().valueToTree(router.handle(request(json)));
    }

    /** Asserts that the request is refused with exactly this message, and returns nothing. */
    public void refused(String json, String message) {
        assertThatThrownBy(() -> router.handle(request(json)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(message);
    }

    /** Delivers every message sent so far to the worker once (first delivery), as the queue would. */
    public List<WindowOutcome> work() {
        List<WindowOutcome> outcomes = new ArrayList<>();
        for (WindowMessage message : queue.drain()) {
            try {
                outcomes.add(worker.process(message, 1));
            } catch (RuntimeException e) {
                // The window is recorded failed in the ledger; the queue would deliver it again.
            }
        }
        return outcomes;
    }

    public WindowWorker worker() {
        return worker;
    }

    private static Map<String, Object> request(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a JSON object: " + json, e);
        }
    }

    @Override
    public void close() {
        io.shutdownNow();
        dispatch.shutdownNow();
    }
}
