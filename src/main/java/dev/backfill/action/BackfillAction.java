package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.dispatch.Dispatcher;
import dev.backfill.dispatch.Dispatcher.RunIdentity;
import dev.backfill.dispatch.Dispatcher.RunOptions;
import dev.backfill.dispatch.Draft;
import dev.backfill.dispatch.Order;
import dev.backfill.dispatch.Publish;
import dev.backfill.dispatch.Reprocess;
import dev.backfill.job.WindowJob;
import dev.backfill.window.WindowRange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code {"action":"backfill","job":..,"start":..,"end":.., "reprocess"?, "order"?, "idempotencyKey"?, "publish"?,
 * "inputsAsOf"?}}: starts a run over [start, end). With an {@code idempotencyKey} already used for the same request,
 * answers that run again (sending only what it had not sent); used for another request, refuses. {@code publish}:
 * {@code direct} (default) or {@code staged} (windows wait for the {@code publish} action). {@code inputsAsOf}: the
 * instant whose input versions the job reads, at most the noncurrent-version retention back.
 */
public final class BackfillAction implements Action<BackfillAction.Request> {

    private final DispatchPlanner planner;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final Duration inputRetention;

    /** @param inputRetention how long replaced input versions are kept: how far back {@code inputsAsOf} may reach */
    public BackfillAction(DispatchPlanner planner, Dispatcher dispatcher, Clock clock, Duration inputRetention) {
        this.planner = Objects.requireNonNull(planner, "planner");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.inputRetention = Objects.requireNonNull(inputRetention, "inputRetention");
    }

    /** A checked backfill request; {@code plan} takes the same. */
    public record Request(WindowJob job, WindowRange range, Reprocess reprocess, Order order,
                          Optional<String> idempotencyKey, RunOptions options) {

        /** The request's identity: two requests with one idempotency key must have the same fingerprint. */
        String fingerprint() {
            // A plain run's fingerprint is what it was before publish and inputsAsOf existed.
            return "backfill " + job.name() + " " + range.start() + ".." + range.end() + " reprocess=" + reprocess.id()
                    + " order=" + order.id()
                    + (options.publish() == Publish.DIRECT ? "" : " publish=" + options.publish().id())
                    + (options.inputsAsOf() == null ? "" : " inputsAsOf=" + options.inputsAsOf());
        }
    }

    @Override
    public String name() {
        return "backfill";
    }

    @Override
    public Request parse(ActionInput input) {
        return parseRequest(input.allow(FIELDS), planner, clock, inputRetention);
    }

    /** The fields {@code backfill} and {@code plan} take. */
    static final String[] FIELDS = {"job", "start", "end", "reprocess", "order", "idempotencyKey", "publish",
        "inputsAsOf"};

    /** Checks the fields {@code backfill} and {@code plan} share; reads nothing. */
    static Request parseRequest(ActionInput input, DispatchPlanner planner, Clock clock, Duration inputRetention) {
        WindowJob job = planner.job(input.text("job"));
        WindowRange range = WindowRange.of(input.date("start"), input.date("end"));
        LocalDate today = clock.instant().atZone(planner.zone()).toLocalDate();
        if (range.end().isAfter(today)) {
            throw new InvalidRequestException("Cannot backfill up to end " + range.end() + ": the days from " + today
                    + " on have not ended in " + planner.zone() + " (end is exclusive; at most " + today + ")");
        }
        planner.windows(job, range);
        Instant now = clock.instant();
        Instant asOf = input.optionalInstant("inputsAsOf").orElse(null);
        if (asOf != null && asOf.isAfter(now)) {
            throw new InvalidRequestException("Cannot read inputs as of " + asOf + ": it is in the future (now "
                    + now + ")");
        }
        if (asOf != null && asOf.isBefore(now.minus(inputRetention))) {
            throw new InvalidRequestException("Cannot read inputs as of " + asOf + ": replaced input versions are "
                    + "kept " + inputRetention.toDays() + " days (NoncurrentVersionRetentionDays), so at most back to "
                    + now.minus(inputRetention));
        }
        return new Request(job, range, input.choice("reprocess", Reprocess.class, Reprocess.ALL),
                input.choice("order", Order.class, Order.OLDEST), input.optionalText("idempotencyKey"),
                new RunOptions(input.choice("publish", Publish.class, Publish.DIRECT), asOf));
    }

    @Override
    public DispatchSummary run(Request request) {
        String runId = request.idempotencyKey()
                .map(key -> "key-" + sha256(request.job().name() + "\n" + key).substring(0, 24))
                .orElseGet(() -> planner.newRunId(clock.instant()));
        RunIdentity identity = new RunIdentity(runId, "backfill", request.idempotencyKey().orElse(null),
                request.fingerprint());
        if (request.idempotencyKey().isPresent()) {
            Optional<DispatchSummary> replayed = dispatcher.replay(identity);
            if (replayed.isPresent()) {
                return replayed.get();
            }
        }
        Draft draft = planner.draft(request.job(), request.range(), request.reprocess(), request.order());
        if (draft.toRun().isEmpty()) {
            return new DispatchSummary(null, request.job().name(), 0, 0, draft.windows().size(), draft.skipped(),
                    null, null, request.reprocess().id(), request.order().id(), 0, false);
        }
        return dispatcher.start(draft, identity, request.options());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
