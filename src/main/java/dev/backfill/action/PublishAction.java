package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.dispatch.Publish;
import dev.backfill.job.Gates;
import dev.backfill.job.OutputSchema;
import dev.backfill.job.WindowJob;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunRecord;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.partition.AuditGates;
import dev.backfill.partition.GateCheck;
import dev.backfill.partition.PartitionPath;
import dev.backfill.partition.StagedPartitions;
import dev.backfill.partition.StagedPublisher;
import dev.backfill.partition.StagedPublisher.Candidate;
import dev.backfill.partition.StagedPublisher.Published;
import dev.backfill.partition.StagedPublisher.State;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code {"action":"publish","runId":.., "job"?, "force"?, "gates"?:{"nonEmpty"?, "maxRowChangePct"?,
 * "maxMeasureChangePct"?}}}: makes the staged windows of a staged run current (see {@link StagedPublisher}).
 * First, without writing, it finds each window's state and checks the audit gates (the job's {@link Gates}, each
 * overridable here; a limit of {@code false} switches it off) on every window ready to publish: if one fails, the
 * request is refused with the failing days and values ({@link GatesFailedException}) and nothing is published,
 * unless {@code force} is true. Then each ready window is published; a partition changed since it was staged is a
 * {@code conflict}, left as it is. Publishing again publishes nothing twice.
 */
public final class PublishAction implements Action<PublishAction.Request> {

    private final DispatchPlanner planner;
    private final RunLedger ledger;
    private final StagedPublisher publisher;
    private final StagedPartitions partitions;
    private final Executor io;
    private final Clock clock;

    public PublishAction(DispatchPlanner planner, RunLedger ledger, StagedPublisher publisher,
                         StagedPartitions partitions, Executor io, Clock clock) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.partitions = Objects.requireNonNull(partitions, "partitions");
        this.io = Objects.requireNonNull(io, "io");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param gates the request's overrides of the job's gates */
    public record Request(RunLookup run, boolean force, UnaryOperator<Gates> gates) {
    }

    /** The gates applied; {@code null} limits are off. */
    public record GatesApplied(boolean nonEmpty, Double maxRowChangePct, Double maxMeasureChangePct) {
        static GatesApplied of(Gates gates) {
            return new GatesApplied(gates.nonEmpty(), gates.maxRowChangePct().orElse(null),
                    gates.maxMeasureChangePct().orElse(null));
        }
    }

    /** One window: {@code published}, {@code conflict} or {@code missing}, and why. */
    public record WindowAnswer(String label, String result, String reason, Long rows, String manifestVersionId) {
    }

    /**
     * @param counts      windows by result
     * @param failedGates the gate checks that failed (published anyway, as forced); empty when all passed
     */
    public record Answer(String runId, String job, boolean forced, Map<String, Integer> counts, GatesApplied gates,
                         List<GateCheck> failedGates, List<WindowAnswer> windows) {
    }

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public Request parse(ActionInput input) {
        input.allow("runId", "job", "force", "gates");
        RunLookup run = RunLookup.parse(input);
        boolean force = input.flag("force");
        UnaryOperator<Gates> gates = input.object("gates").map(PublishAction::overrides)
                .orElse(UnaryOperator.identity());
        return new Request(run, force, gates);
    }

    private static UnaryOperator<Gates> overrides(ActionInput gates) {
        gates.allow("gates.nonEmpty", "gates.maxRowChangePct", "gates.maxMeasureChangePct");
        gates.flag("gates.nonEmpty");
        gates.percentOrOff("gates.maxRowChangePct", Optional.empty());
        gates.percentOrOff("gates.maxMeasureChangePct", Optional.empty());
        return defaults -> defaults.withNonEmpty(gates.flag("gates.nonEmpty", defaults.nonEmpty()))
                .withMaxRowChangePct(gates.percentOrOff("gates.maxRowChangePct", defaults.maxRowChangePct()))
                .withMaxMeasureChangePct(gates.percentOrOff("gates.maxMeasureChangePct",
                        defaults.maxMeasureChangePct()));
    }

    @Override
    public Answer run(Request request) {
        RunRecord run = stagedRun(request.run().read(ledger).run(), "published");
        WindowJob job = planner.job(run.job());
        Gates gates = request.gates().apply(job.gates());
        List<Candidate> candidates = inParallel(run.labels(),
                label -> publisher.inspect(new PartitionPath(job.table(), label), run.runId()));
        List<String> measures = job.outputSchema().measures().stream().map(OutputSchema.Column::name).toList();
        List<GateCheck> failed = inParallel(candidates.stream().filter(c -> c.state() == State.READY).toList(),
                candidate -> check(candidate, gates, measures)).stream().flatMap(List::stream)
                .filter(check -> !check.passed()).toList();
        if (!failed.isEmpty() && !request.force()) {
            throw new GatesFailedException(run.runId(), failed);
        }
        List<Published> published = inParallel(candidates, this::publish);
        Map<String, Integer> counts = new TreeMap<>(Map.of("published", 0, "conflict", 0, "missing", 0));
        List<WindowAnswer> windows = new ArrayList<>();
        for (Published window : published) {
            String result = window.state() == State.MISSING ? "missing"
                    : window.state().name().toLowerCase(Locale.ROOT);
            counts.merge(result, 1, Integer::sum);
            windows.add(new WindowAnswer(window.candidate().path().label(), result, window.reason(),
                    window.candidate().staged().map(s -> s.manifest().rows()).orElse(null),
                    window.manifestVersionId()));
        }
        return new Answer(run.runId(), run.job(), request.force(), counts, GatesApplied.of(gates), failed, windows);
    }

    private List<GateCheck> check(Candidate candidate, Gates gates, List<String> measures) {
        PartitionPath path = candidate.path();
        return partitions.stagedSnapshot(path, candidate.runId())
                .map(after -> AuditGates.check(path.label(), gates, measures, partitions.currentSnapshot(path), after))
                .orElse(List.of());
    }

    /** Publishes one window and, when this call made it current, records it succeeded in the run's ledger. */
    private Published publish(Candidate candidate) {
        Published published = publisher.publish(candidate);
        if (candidate.state() == State.READY && published.state() == State.PUBLISHED) {
            long rows = candidate.staged().orElseThrow().manifest().rows();
            ledger.record(WindowStatus.settled(candidate.runId(), candidate.path().label(), WindowState.SUCCEEDED,
                    clock.instant(), rows, "published", published.manifestVersionId()));
        }
        return published;
    }

    /** The run, if it is a staged one. @throws InvalidRequestException for a run that publishes directly */
    static RunRecord stagedRun(RunRecord run, String verb) {
        if (Publish.of(run.publish()) != Publish.STAGED) {
            throw new InvalidRequestException("Run " + run.runId() + " publishes " + run.publish() + ": only a staged "
                    + "run (backfill with \"publish\":\"staged\") can be " + verb);
        }
        return run;
    }

    private <T, R> List<R> inParallel(List<T> items, Function<T, R> work) {
        List<CompletableFuture<R>> futures = items.stream()
                .map(item -> CompletableFuture.supplyAsync(() -> work.apply(item), io)).toList();
        List<R> results = new ArrayList<>();
        for (CompletableFuture<R> future : futures) {
            try {
                results.add(future.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
        }
        return results;
    }
}
