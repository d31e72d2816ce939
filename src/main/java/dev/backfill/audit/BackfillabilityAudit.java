package dev.backfill.audit;

import dev.backfill.job.History;
import dev.backfill.job.InputSpec;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobResult;
import dev.backfill.job.ObjectStoreSourceReader;
import dev.backfill.job.RateBudget;
import dev.backfill.job.WindowJob;
import dev.backfill.partition.CommitToken;
import dev.backfill.partition.Manifest;
import dev.backfill.partition.PartitionCommitter;
import dev.backfill.partition.PartitionCommitter.CommitRequest;
import dev.backfill.partition.PartitionCommitter.Staged;
import dev.backfill.partition.PartitionPath;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStream;
import dev.backfill.window.Window;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Is a job backfillable? The four questions of a backfillable pipeline, answered by running the job — on a scratch
 * copy of its table under {@code _backfill/audit/<id>/}, removed afterwards, never on the live table:
 * <ol>
 *   <li><b>Window-parameterized</b>: the window run twice, under different default zones and locales and at different
 *       wall times, writes identical rows.
 *   <li><b>Idempotent load</b>: the window committed twice leaves one copy: the same rows, not twice as many.
 *   <li><b>Upstream historical</b>: the inputs of the day, and of the oldest day the job's declared history serves,
 *       are there and readable (listed and read where the job declares them; else the job is run for that day).
 *   <li><b>No hidden current state</b>: the day run cold writes the same rows as the day run again after the days
 *       around it, in the same process.
 * </ol>
 * The rows are compared by content (the digest of the uncompressed parts) where question 1 found the job
 * deterministic, and by count otherwise (a job that reads the clock cannot be compared byte for byte). "Cold" means
 * first in this audit: a job whose state survives from an earlier audit in the same process can hide from question 4.
 */
public final class BackfillabilityAudit {

    static final String SCRATCH = "_backfill/audit/";
    /** Zones a day apart and locales that format numbers differently: a job that reads them cannot agree with itself. */
    private static final ZoneId FIRST_ZONE = ZoneId.of("Pacific/Kiritimati");
    private static final ZoneId SECOND_ZONE = ZoneId.of("Pacific/Pago_Pago");
    private static final int READ_PROBE_BYTES = 64 * 1024;

    private final ObjectStore store;
    private final Clock clock;
    private final Supplier<RateBudget> budgets;
    private final Supplier<String> nonces;
    private final String codeVersion;

    public BackfillabilityAudit(ObjectStore store, Clock clock, Supplier<RateBudget> budgets,
                                Supplier<String> nonces, String codeVersion) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.codeVersion = Objects.requireNonNull(codeVersion, "codeVersion");
    }

    /** One question's answer. */
    public record Finding(int question, String name, boolean passed, String evidence, String fix) {
    }

    /**
     * @param score   questions passed, 0 to 4
     * @param scratch where the audit wrote, removed before answering
     * @param removed objects removed from the scratch prefix
     */
    public record Report(String job, LocalDate day, int score, List<Finding> questions, String scratch, int removed) {
        public Report {
            questions = List.copyOf(questions);
        }
    }

    /**
     * Audits {@code job} on {@code day}.
     *
     * @param windowOf the window of a day, as the dispatcher derives it
     * @param today    the current day in the deployment's zone, for a history that moves with it
     */
    public Report audit(WindowJob job, LocalDate day, Function<LocalDate, Window> windowOf, LocalDate today) {
        String id = clock.instant().toEpochMilli() + "-" + nonces.get();
        String scratch = SCRATCH + id + "/";
        Runs runs = new Runs(job, scratch);
        try {
            Window window = windowOf.apply(day);
            Run first = runs.under("a", window, FIRST_ZONE, Locale.GERMANY);
            Run second = runs.under("b", window, SECOND_ZONE, Locale.US);
            Finding parameterized = parameterized(first, second);
            boolean deterministic = parameterized.passed();
            Finding idempotent = idempotent(first, runs.under("a", window, null, null), deterministic);
            runs.under("c", windowOf.apply(day.minusDays(1)), null, null);
            runs.under("c", windowOf.apply(day.plusDays(1)), null, null);
            Finding stateless = stateless(first, runs.under("d", window, null, null), deterministic);
            // Last: for a job without declared inputs it runs the oldest served day, which must not warm question 4.
            Finding historical = historical(job, day, windowOf, today, runs, first);
            List<Finding> findings = List.of(parameterized, idempotent, historical, stateless);
            int score = (int) findings.stream().filter(Finding::passed).count();
            return new Report(job.name(), day, score, findings, scratch, remove(scratch));
        } catch (RuntimeException e) {
            try {
                remove(scratch);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static Finding parameterized(Run first, Run second) {
        String name = "window-parameterized";
        String fix = "Derive everything from the window (context.window().start()/end()), never from the clock, "
                + "the default zone or locale (Instant.now(), LocalDate.now(), String.format without a Locale)";
        if (first.failure() != null || second.failure() != null) {
            return new Finding(1, name, false, "the job failed: " + firstFailure(first, second), fix);
        }
        boolean same = first.digest().equals(second.digest());
        String evidence = "run under " + FIRST_ZONE + "/" + Locale.GERMANY + ": " + first.describe() + "; under "
                + SECOND_ZONE + "/" + Locale.US + " at another wall time: " + second.describe()
                + (same ? " — identical" : " — different");
        return new Finding(1, name, same, evidence, same ? null : fix);
    }

    private static Finding idempotent(Run once, Run twice, boolean deterministic) {
        String name = "idempotent load";
        String fix = "Write the window's whole output through the PartitionSink every time; never read the table's "
                + "existing output and add to it";
        if (once.failure() != null || twice.failure() != null) {
            return new Finding(2, name, false, "the job failed: " + firstFailure(once, twice), fix);
        }
        boolean oneCopy = twice.visibleObjects() == twice.parts();
        boolean same = deterministic ? once.digest().equals(twice.digest()) && once.rows() == twice.rows()
                : once.rows() == twice.rows();
        String evidence = "committed once: " + once.describe() + "; committed again over it: " + twice.describe()
                + "; " + twice.visibleObjects() + " visible object(s) for " + twice.parts() + " listed part(s)"
                + (deterministic ? "" : "; rows compared by count only (question 1 failed)");
        return new Finding(2, name, same && oneCopy, evidence, same && oneCopy ? null : fix);
    }

    private Finding historical(WindowJob job, LocalDate day, Function<LocalDate, Window> windowOf, LocalDate today,
                               Runs runs, Run ofTheDay) {
        String name = "upstream historical";
        History history = job.history();
        Optional<LocalDate> oldest = history.oldestServed(today);
        List<String> evidence = new ArrayList<>();
        boolean passed = true;
        List<LocalDate> days = new ArrayList<>(List.of(day));
        oldest.filter(first -> first.isBefore(day)).ifPresent(days::add);
        for (LocalDate checked : days) {
            InputSpec spec = job.inputs(windowOf.apply(checked));
            String which = checked + (checked.equals(day) ? "" : " (oldest served)") + ": ";
            if (spec.declared()) {
                Probe probe = probe(spec);
                passed &= probe.readable();
                evidence.add(which + probe.describe());
            } else {
                // Inputs that cannot be listed (an API): the job itself, run for the day, tells whether it is served.
                Run run = checked.equals(day) ? ofTheDay : runs.under("h", windowOf.apply(checked), null, null);
                passed &= run.failure() == null;
                evidence.add(which + (run.failure() == null ? "the job ran and committed " + run.rows() + " rows"
                        : "the job failed: " + run.failure()) + " (no inputs declared to list)");
            }
        }
        evidence.add(oldest.map(first -> "declared history: since " + first)
                .orElse("declared history: unlimited, so only the day itself was checked"));
        String fix = "Declare the history the upstream really keeps (WindowJob.history()), or read a source that "
                + "keeps it (a versioned or append-only prefix, an API with historical queries)";
        return new Finding(3, name, passed, String.join("; ", evidence), passed ? null : fix);
    }

    private static Finding stateless(Run cold, Run after, boolean deterministic) {
        String name = "no hidden current state";
        String fix = "Keep no state between windows (static or instance caches, counters, 'last seen' values): "
                + "everything a window needs comes from its own inputs";
        if (cold.failure() != null || after.failure() != null) {
            return new Finding(4, name, false, "the job failed: " + firstFailure(cold, after), fix);
        }
        boolean same = deterministic ? cold.digest().equals(after.digest()) : cold.rows() == after.rows();
        String evidence = "cold: " + cold.describe() + "; after the day before and the day after in the same "
                + "process: " + after.describe() + (same ? " — identical" : " — different")
                + (deterministic ? "" : "; rows compared by count only (question 1 failed)");
        return new Finding(4, name, same, evidence, same ? null : fix);
    }

    private static String firstFailure(Run a, Run b) {
        return a.failure() != null ? a.failure() : b.failure();
    }

    /** What one input listing found. */
    private record Probe(int objects, long bytes, String unreadable) {
        boolean readable() {
            return objects > 0 && unreadable == null;
        }

        String describe() {
            if (objects == 0) {
                return "no input objects";
            }
            return objects + " input object(s), " + bytes + " bytes, "
                    + (unreadable == null ? "first one readable" : "first one unreadable: " + unreadable);
        }
    }

    private Probe probe(InputSpec spec) {
        RateBudget budget = budgets.get();
        List<ObjectSummary> found = new ArrayList<>();
        for (String prefix : spec.prefixes()) {
            budget.acquire();
            store.list(prefix).stream().filter(object -> spec.matches(object.key())).forEach(found::add);
        }
        if (found.isEmpty()) {
            return new Probe(0, 0, null);
        }
        long bytes = found.stream().mapToLong(ObjectSummary::size).sum();
        budget.acquire();
        try (ObjectStream in = store.open(found.get(0).key())) {
            in.readNBytes(READ_PROBE_BYTES);
            return new Probe(found.size(), bytes, null);
        } catch (IOException | RuntimeException e) {
            return new Probe(found.size(), bytes, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** One run's committed result, or why it failed. */
    private record Run(long rows, String digest, int parts, int visibleObjects, String failure) {
        String describe() {
            return rows + " rows, sha-256 " + digest.substring(0, 12);
        }
    }

    /** Runs of the job into scratch copies of its table, each under its own sub-prefix. */
    private final class Runs {

        private final WindowJob job;
        private final String scratch;
        private long fence;

        Runs(WindowJob job, String scratch) {
            this.job = job;
            this.scratch = scratch;
            this.fence = clock.instant().toEpochMilli() * 1_000;
        }

        /** Runs and commits {@code window} into copy {@code copy}, with the process defaults set when given. */
        Run under(String copy, Window window, ZoneId zone, Locale locale) {
            TimeZone zoneBefore = TimeZone.getDefault();
            Locale localeBefore = Locale.getDefault();
            try {
                if (zone != null) {
                    TimeZone.setDefault(TimeZone.getTimeZone(zone));
                    Locale.setDefault(locale);
                }
                return run(new ScratchStore(store, scratch + copy + "/"), window);
            } finally {
                TimeZone.setDefault(zoneBefore);
                Locale.setDefault(localeBefore);
            }
        }

        private Run run(ScratchStore scratchStore, Window window) {
            PartitionPath path = PartitionPath.of(job.table(), window);
            CommitToken token = new CommitToken(++fence, 1, nonces.get());
            CommitRequest request = new CommitRequest("audit-" + fence, job.name(), window, token, codeVersion,
                    clock.instant());
            PartitionCommitter committer = new PartitionCommitter(scratchStore, clock);
            try {
                committer.replace(path, request, sink -> {
                    ObjectStoreSourceReader source = new ObjectStoreSourceReader(scratchStore, budgets.get());
                    JobResult result = job.run(new JobContext(window, source, sink));
                    return new Staged(result, source.inputsRead());
                });
                Manifest manifest = committer.current(path).orElseThrow();
                long visible = scratchStore.list(path.prefix()).stream()
                        .filter(object -> !object.key().substring(path.prefix().length()).startsWith("_"))
                        .count();
                return new Run(manifest.rows(), digest(scratchStore, manifest),
                        manifest.parts().size(), (int) visible, null);
            } catch (IOException | RuntimeException e) {
                return new Run(0, "", 0, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    /** The digest of the partition's uncompressed parts, in order. */
    private static String digest(ObjectStore store, Manifest manifest) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        for (Manifest.Part part : manifest.parts()) {
            try (InputStream in = new GZIPInputStream(store.openVersion(part.key(), part.versionId()))) {
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    sha.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Deletes every object under the scratch prefix; the versions left go with the bucket's lifecycle rule. */
    private int remove(String scratch) {
        List<String> keys = store.list(scratch).stream().map(ObjectSummary::key).toList();
        return keys.isEmpty() ? 0 : store.deleteAll(keys);
    }
}
