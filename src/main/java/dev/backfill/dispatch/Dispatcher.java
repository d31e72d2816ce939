package dev.backfill.dispatch;

import dev.backfill.InvalidRequestException;
import dev.backfill.ledger.Fences;
import dev.backfill.ledger.RunIndex;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunLedger.RunExistsException;
import dev.backfill.ledger.RunRecord;
import dev.backfill.window.Window;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;

/**
 * Starts runs and sends their windows. A run is recorded once, with its plan, under a conditional write; then its
 * windows go to the queue in chunks of {@value RunRecord#CHUNK}, each chunk noted in the ledger once it is on the
 * queue. A dispatch that died half-way, or a repeated request for the same run, sends only the chunks not yet noted.
 * No ledger object is written per window: workers record windows.
 */
public final class Dispatcher {

    private final RunLedger ledger;
    private final RunIndex index;
    private final Fences fences;
    private final WindowQueue queue;
    private final Executor executor;
    private final Clock clock;
    private final String codeVersion;

    /** @param executor sends chunks concurrently; not the executor the queue sends batches on */
    public Dispatcher(RunLedger ledger, RunIndex index, Fences fences, WindowQueue queue, Executor executor,
                      Clock clock, String codeVersion) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.index = Objects.requireNonNull(index, "index");
        this.fences = Objects.requireNonNull(fences, "fences");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codeVersion = Objects.requireNonNull(codeVersion, "codeVersion");
    }

    /**
     * Who a run is: its id, what started it, and the request's identity.
     *
     * @param idempotencyKey the caller's key, or null; a run id derived from it makes a repeat find the first run
     * @param fingerprint    the request as a string; a repeat with another fingerprint is refused
     */
    public record RunIdentity(String runId, String trigger, String idempotencyKey, String fingerprint) {
        public RunIdentity {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(fingerprint, "fingerprint");
        }
    }

    /**
     * How a run's windows run, recorded in the run and carried by each message.
     *
     * @param inputsAsOf the instant whose input versions the job reads, or {@code null} for the current ones
     */
    public record RunOptions(Publish publish, Instant inputsAsOf) {
        /** Direct publish of what the inputs hold now: what the schedule and a plain backfill do. */
        public static final RunOptions CURRENT = new RunOptions(Publish.DIRECT, null);

        public RunOptions {
            Objects.requireNonNull(publish, "publish");
        }
    }

    /** Starts a run with {@link RunOptions#CURRENT}; see {@link #start(Draft, RunIdentity, RunOptions)}. */
    public DispatchSummary start(Draft draft, RunIdentity identity) {
        return start(draft, identity, RunOptions.CURRENT);
    }

    /**
     * Starts the run a draft describes, or, when a run with this identity exists already, finishes sending it.
     *
     * @throws InvalidRequestException if the run id is taken by a different request (an idempotency key reused)
     * @throws DispatchFailedException if some windows could not be enqueued; {@code retry} sends them
     */
    public DispatchSummary start(Draft draft, RunIdentity identity, RunOptions options) {
        if (draft.toRun().isEmpty()) {
            throw new IllegalArgumentException("A run needs at least one window to run");
        }
        var existing = ledger.run(identity.runId());
        if (existing.isPresent()) {
            return resume(existing.get(), identity);
        }
        Instant now = clock.instant();
        List<String> labels = draft.labels();
        RunRecord run = new RunRecord(RunRecord.VERSION, identity.runId(), draft.job().name(), identity.trigger(),
                draft.range().start().toString(), draft.range().end().toString(), labels.size(), labels,
                first(draft.toRun()), last(draft.toRun()), fences.allocate(draft.job().name(), now),
                draft.zone().getId(), codeVersion, now, draft.reprocess().id(), draft.order().id(), draft.skipped(),
                identity.idempotencyKey(), identity.fingerprint(), options.publish().id(), options.inputsAsOf());
        try {
            ledger.createRun(run);
        } catch (RunExistsException e) {
            RunRecord stored = ledger.run(identity.runId()).orElseThrow();
            if (!stored.equals(run)) {
                // A concurrent delivery of the same request created it first: finish that run instead.
                return resume(stored, identity);
            }
            // Our own write: the SDK retried a PUT whose first attempt was stored, and the retry lost If-None-Match.
        }
        index.add(run);
        return send(run, Set.of(), draft.windows().size(), false);
    }

    /**
     * Finishes sending the run with this identity, if one exists: a repeated request (same idempotency key, same
     * scheduled day) gets the first run's answer.
     *
     * @throws InvalidRequestException if the run id is taken by a different request
     */
    public Optional<DispatchSummary> replay(RunIdentity identity) {
        return ledger.run(identity.runId()).map(run -> resume(run, identity));
    }

    private DispatchSummary resume(RunRecord run, RunIdentity identity) {
        if (!run.fingerprint().equals(identity.fingerprint())) {
            throw new InvalidRequestException("idempotencyKey '" + InvalidRequestException.shown(
                    identity.idempotencyKey()) + "' was already used for a different request (run " + run.runId()
                    + ": " + run.fingerprint() + ")");
        }
        // The first dispatch may have died between recording the run and indexing it; indexing again is harmless.
        index.add(run);
        return send(run, ledger.sentChunks(run.runId()), (int) ChronoUnit.DAYS.between(
                LocalDate.parse(run.start()), LocalDate.parse(run.end())), true);
    }

    /** Sends the chunks of the plan not in {@code sent}, several at once, noting each once it is on the queue. */
    private DispatchSummary send(RunRecord run, Set<Integer> sent, int inRange, boolean replayed) {
        ZoneId zone = ZoneId.of(run.zone());
        List<CompletableFuture<Integer>> chunks = IntStream.range(0, run.chunks())
                .filter(index -> !sent.contains(index))
                .mapToObj(index -> CompletableFuture.supplyAsync(() -> sendChunk(run, zone, index), executor))
                .toList();
        int unsent = chunks.stream().mapToInt(Parallel::join).sum();
        if (unsent > 0) {
            throw new DispatchFailedException("Enqueued " + (run.windows() - unsent) + " of " + run.windows()
                    + " windows of run " + run.runId() + "; " + unsent + " not enqueued: send {\"action\":\"retry\","
                    + "\"runId\":\"" + run.runId() + "\"} to send them");
        }
        return new DispatchSummary(run.runId(), run.job(), run.windows(), run.windows(), inRange, run.skipped(),
                run.first(), run.last(), run.reprocess(), run.order(), run.fence(), replayed);
    }

    /** @return how many of the chunk's windows could not be sent */
    private int sendChunk(RunRecord run, ZoneId zone, int index) {
        List<WindowMessage> unsent = queue.send(messages(run, zone, run.chunk(index)));
        if (unsent.isEmpty()) {
            ledger.markSent(run.runId(), index);
        }
        return unsent.size();
    }

    /** Sends the given windows of a recorded run again, under the run's id and fence; the unsent ones come back. */
    public List<String> resend(RunRecord run, List<String> labels) {
        ZoneId zone = ZoneId.of(run.zone());
        List<CompletableFuture<List<WindowMessage>>> batches = IntStream.range(0, (labels.size() + RunRecord.CHUNK - 1)
                        / RunRecord.CHUNK)
                .mapToObj(i -> labels.subList(i * RunRecord.CHUNK, Math.min(labels.size(), (i + 1) * RunRecord.CHUNK)))
                .map(chunk -> CompletableFuture.supplyAsync(() -> queue.send(messages(run, zone, chunk)), executor))
                .toList();
        return batches.stream().flatMap(batch -> Parallel.join(batch).stream())
                .map(message -> message.window().label()).toList();
    }

    /** Notes every chunk of the plan whose windows are all on the queue now. */
    public void markSent(RunRecord run, Set<Integer> chunks) {
        chunks.forEach(chunk -> ledger.markSent(run.runId(), chunk));
    }

    private static List<WindowMessage> messages(RunRecord run, ZoneId zone, List<String> labels) {
        return labels.stream()
                .map(label -> WindowMessage.of(run.runId(), run.job(), Window.ofLabel(label, zone),
                        run.fence()).with(Publish.of(run.publish()), run.inputsAsOf()))
                .toList();
    }

    private static String first(List<Window> windows) {
        return windows.stream().map(Window::label).min(String::compareTo).orElseThrow();
    }

    private static String last(List<Window> windows) {
        return windows.stream().map(Window::label).max(String::compareTo).orElseThrow();
    }
}
