package dev.backfill.action;

import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.ledger.RunIndex;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunProgress;
import dev.backfill.ledger.RunStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** {@code {"action":"runs", "job"?, "limit"?}}: the latest runs first (20 unless asked, at most 100), each summed up. */
public final class RunsAction implements Action<RunsAction.Request> {

    private final DispatchPlanner planner;
    private final RunIndex index;
    private final RunLedger ledger;
    private final Executor executor;
    private final Clock clock;

    public RunsAction(DispatchPlanner planner, RunIndex index, RunLedger ledger, Executor executor, Clock clock) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.index = Objects.requireNonNull(index, "index");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public record Request(Optional<String> job, int limit) {
    }

    /** The runs, newest first, without their failures' errors ({@code status} of one run has them). */
    public record Answer(List<RunStatus> runs) {
    }

    @Override
    public String name() {
        return "runs";
    }

    @Override
    public Request parse(ActionInput input) {
        input.allow("job", "limit");
        Optional<String> job = input.optionalText("job").map(name -> planner.job(name).name());
        return new Request(job, input.integer("limit", 1, 100, 20));
    }

    @Override
    public Answer run(Request request) {
        Instant now = clock.instant();
        List<CompletableFuture<Optional<RunStatus>>> runs = index.latest(request.job(), request.limit()).stream()
                .map(runId -> CompletableFuture.supplyAsync(() -> RunProgress.read(ledger, runId)
                        .map(progress -> progress.status(now, event -> Optional.empty())), executor))
                .toList();
        return new Answer(runs.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList());
    }
}
