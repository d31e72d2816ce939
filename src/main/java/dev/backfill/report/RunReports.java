package dev.backfill.report;

import dev.backfill.job.WindowJob;
import dev.backfill.job.OutputSchema;
import dev.backfill.partition.AuditGates;
import dev.backfill.partition.GateCheck;
import dev.backfill.partition.PartitionPath;
import dev.backfill.partition.PartitionRows;
import dev.backfill.partition.StagedPartitions;
import java.util.ArrayList;
import java.util.NavigableMap;
import java.util.TreeMap;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunRecord;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A run's before/after report: the diff of the run's days between the instant its record was created (before any
 * of its windows committed) and now, written beside the run as {@code _backfill/runs/<runId>/report.html} and
 * {@code report.csv}. Writing it again replaces both (a new version of each).
 */
public final class RunReports {

    private final ObjectStore store;
    private final TableDiff diff;

    public RunReports(ObjectStore store, TableDiff diff) {
        this.store = Objects.requireNonNull(store, "store");
        this.diff = Objects.requireNonNull(diff, "diff");
    }

    /** What was written: the diff and both objects. */
    /** @param gates the audit gates {@code publish} would check, for a staged run not yet published; else empty */
    public record Written(Diff diff, RunFacts facts, List<GateCheck> gates, ObjectVersion html, ObjectVersion csv) {
    }

    public static String htmlKey(String runId) {
        return RunLedger.PREFIX + runId + "/report.html";
    }

    public static String csvKey(String runId) {
        return RunLedger.PREFIX + runId + "/report.csv";
    }

    /**
     * Compares the run's days as of its creation with {@code now} — or, for a staged run not yet published, with its
     * staged output: what readers will see once it is — renders and writes both files.
     */
    public Written write(RunRecord run, WindowJob job, Instant now) {
        List<String> days = run.labels().stream().sorted().toList();
        StagedPartitions stagedPartitions = new StagedPartitions(store);
        NavigableMap<String, PartitionRows> stagedRows = "staged".equals(run.publish())
                ? stagedPartitions.read(job.table(), run.runId(), days) : new TreeMap<>();
        boolean staged = !stagedRows.isEmpty();
        List<String> measures = job.outputSchema().measures().stream().map(OutputSchema.Column::name).toList();
        List<GateCheck> gates = new ArrayList<>();
        stagedRows.forEach((label, rows) -> gates.addAll(AuditGates.check(label, job.gates(), measures,
                stagedPartitions.currentSnapshot(new PartitionPath(job.table(), label)), rows)));
        Diff compared = diff.compare(job, run.start(), run.end(), days,
                new Diff.Side(run.createdAt().toString(), run.createdAt()),
                staged ? new Diff.Side("staged:" + run.runId(), now, run.runId()) : new Diff.Side("now", now));
        RunFacts facts = new RunFacts(run.runId(), run.job(), job.table(), run.start(), run.end(), run.windows(),
                run.createdAt(), codeVersions(compared, true), codeVersions(compared, false), now);
        ObjectVersion html = store.put(htmlKey(run.runId()),
                ReportHtml.render(facts, compared, gates).getBytes(StandardCharsets.UTF_8));
        ObjectVersion csv = store.put(csvKey(run.runId()),
                ReportCsv.render(compared).getBytes(StandardCharsets.UTF_8));
        return new Written(compared, facts, List.copyOf(gates), html, csv);
    }

    private static List<String> codeVersions(Diff diff, boolean before) {
        TreeSet<String> versions = new TreeSet<>();
        diff.days().forEach(day -> Optional.ofNullable(before ? day.beforeCodeVersion() : day.afterCodeVersion())
                .ifPresent(versions::add));
        return List.copyOf(versions);
    }
}
