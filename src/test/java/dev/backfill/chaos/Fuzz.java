package dev.backfill.chaos;

import dev.backfill.InvalidRequestException;
import dev.backfill.action.ActionRouter;
import dev.backfill.action.DispatcherActions;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import dev.backfill.testing.RecordingQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuzz: generated bad dispatcher requests through the {@link ActionRouter}, as the dispatcher function receives them,
 * and generated bad window messages through the worker on ElasticMQ. Every request must be refused with an
 * {@link InvalidRequestException} whose message names a field and carries no control character, sending nothing and
 * writing nothing; every message must reach the DLQ after one delivery, writing nothing. Every action the router
 * has, and the schedule, must be among those the requests were made from, so an action added later fails the
 * figure until the generator makes bad requests of it.
 */
final class Fuzz {

    static final String PAYLOADS = "Fuzz dispatcher payloads";
    static final String MESSAGES = "Fuzz window messages";
    /** When the fuzzed store's run was made: the day before the fuzz's now. */
    static final Instant SEEDED_AT = Instant.parse("2026-11-24T10:00:00Z");
    private static final List<String> FIELDS = List.of("action", "job", "start", "end", "runId", "reprocess", "order",
            "idempotencyKey", "limit", "set", "scheduledTime", "field", "range", "window", "request", "table", "day",
            "asOf", "before", "after", "force", "gates");

    private Fuzz() {
    }

    static ChaosFigure payloads(int count, long seed) {
        InMemoryObjectStore store = new InMemoryObjectStore(new MutableClock(SEEDED_AT));
        String stagedRun = stagedRun(store);
        Writes writes = new Writes(store);
        RecordingQueue queue = new RecordingQueue();
        ExecutorService io = Executors.newFixedThreadPool(2);
        try {
            ActionRouter router = router(writes, queue, io);
            BadPayloads payloads = new BadPayloads(seed, stagedRun);
            Map<String, Integer> refusedByAction = new TreeMap<>();
            long refused = 0;
            List<String> accepted = new ArrayList<>();
            List<String> unclear = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Map<String, Object> request = payloads.next();
                try {
                    router.handle(request);
                    accepted.add(abbreviated(request.toString()));
                } catch (InvalidRequestException e) {
                    refused++;
                    refusedByAction.merge(payloads.kind(), 1, Integer::sum);
                    if (!clear(e.getMessage())) {
                        unclear.add(abbreviated(e.getMessage()));
                    }
                } catch (RuntimeException | StackOverflowError e) {
                    accepted.add(e.getClass().getSimpleName() + " for " + abbreviated(request.toString()));
                }
            }
            Map<String, Integer> byAction = new TreeMap<>(payloads.kinds());
            Set<String> uncovered = new TreeSet<>(router.names());
            uncovered.add("schedule");
            uncovered.removeAll(byAction.keySet());
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("requests", count);
            values.put("refused", refused);
            values.put("requestsByAction", byAction);
            values.put("refusedByAction", refusedByAction);
            values.put("actionsNotFuzzed", List.copyOf(uncovered));
            values.put("notRefusedOrWrongError", accepted.stream().limit(20).toList());
            values.put("unclearMessages", unclear.stream().limit(20).toList());
            values.put("messagesSent", queue.sent().size());
            values.put("objectsWritten", writes.count.get());
            return new ChaosFigure(PAYLOADS, String.format("%,d generated bad requests, seed %d", count, seed),
                    String.format("%,d refused (%d with an unclear message) over %d actions%s; %d sent, %d objects "
                            + "written", refused, unclear.size(), byAction.size(), uncovered.isEmpty() ? ""
                            : ", none of " + uncovered, queue.sent().size(), writes.count.get()),
                    0, 0, 0, 0, refused == count && unclear.isEmpty() && uncovered.isEmpty() && queue.sent().isEmpty()
                            && queue.sendCalls() == 0 && writes.count.get() == 0, values);
        } finally {
            io.shutdownNow();
        }
    }

    /**
     * Writes into {@code store} a staged run of the example job over 2026-11-01 .. 2026-11-04, processed (its windows
     * staged, none published), with its inputs; so a run action fuzzed with its id is refused for its defects alone,
     * not because the run is unknown or publishes directly.
     *
     * @return the run's id
     */
    static String stagedRun(InMemoryObjectStore store) {
        MutableClock clock = new MutableClock(SEEDED_AT);
        try (Operator operator = new Operator(store, clock, ZoneOffset.UTC, 3660,
                List.of(DailyEventCounts.fixed()))) {
            DemoEventGenerator.standard().writeDays(store, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 4));
            String runId = operator.call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\","
                    + "\"start\":\"2026-11-01\",\"end\":\"2026-11-04\",\"publish\":\"staged\"}").path("runId")
                    .asText();
            operator.work();
            return runId;
        }
    }

    /** The dispatcher's router as the fuzz drives it: the example job, UTC days, now 2026-11-25T10:00:00Z. */
    static ActionRouter router(ObjectStore store, WindowQueue queue, ExecutorService io) {
        return DispatcherActions.router(JobRegistry.of(List.of(DailyEventCounts.fixed())), store, queue,
                new MutableClock(Instant.parse("2026-11-25T10:00:00Z")), RateBudget.unlimited(), () -> "fuzz", io, io,
                new DispatcherActions.Settings(ZoneOffset.UTC, 3660, ChaosRig.CODE_VERSION, DailyEventCounts.NAME, 7,
                        new Estimator.Settings(4, 0, Duration.ofMinutes(5), 1024)));
    }

    /** Names a field (or the request as a whole), stays short, and echoes no control character. */
    static boolean clear(String message) {
        return message != null && message.length() <= 1_000
                && message.codePoints().noneMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')
                && FIELDS.stream().anyMatch(message::contains);
    }

    private static String abbreviated(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 200 ? printable : printable.substring(0, 200) + "…";
    }

    /** Counts every write (PUT, copy, delete) that reaches the store. */
    static final class Writes extends ForwardingObjectStore {
        final AtomicLong count = new AtomicLong();

        Writes(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public ObjectVersion put(String key, byte[] content) {
            count.incrementAndGet();
            return super.put(key, content);
        }

        @Override
        public ObjectVersion put(String key, Path file) {
            count.incrementAndGet();
            return super.put(key, file);
        }

        @Override
        public ObjectVersion copy(String source, String target) {
            count.incrementAndGet();
            return super.copy(source, target);
        }

        @Override
        public ObjectVersion putIfAbsent(String key, byte[] content) {
            count.incrementAndGet();
            return super.putIfAbsent(key, content);
        }

        @Override
        public ObjectVersion putIfMatch(String key, byte[] content, String etag) {
            count.incrementAndGet();
            return super.putIfMatch(key, content, etag);
        }

        @Override
        public int deleteAll(Collection<String> keys) {
            count.incrementAndGet();
            return super.deleteAll(keys);
        }
    }

    static ChaosFigure messages(int count, long seed) {
        try (ChaosRig rig = ChaosRig.plain("fuzz", seed)) {
            int objectsBefore = rig.plainStore().list("").size();
            BadMessages messages = new BadMessages(seed);
            for (int i = 0; i < count; i++) {
                rig.sendRaw(messages.next());
            }
            rig.startWorkers(4);
            rig.awaitDrained(Duration.ofMinutes(3));
            int deadLettered = rig.depth().deadLettered();
            int written = rig.plainStore().list("").size() - objectsBefore;
            long deliveries = rig.worker().invocations();
            return new ChaosFigure(MESSAGES, String.format("%,d generated bad window messages, seed %d", count, seed),
                    String.format("%,d in the DLQ after %,d deliveries; %d objects written", deadLettered, deliveries,
                            written),
                    0, 0, 0, 0, deadLettered == count && deliveries == count && written == 0,
                    Map.of("messages", count, "deadLettered", deadLettered, "deliveries", deliveries,
                            "objectsWritten", written));
        }
    }
}
