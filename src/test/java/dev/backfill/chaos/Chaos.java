package dev.backfill.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code make chaos}: every scenario at full size — faults injected at every step, with figures — printed as one
 * table and written to {@code target/chaos/report.json}; exits 1 when any scenario broke. Arguments name the
 * scenarios to run (R1 … R5, FUZZ, PREFIX, E2E); none runs all. Seeds are fixed, so a run is reproducible in kind.
 */
public final class Chaos {

    private static final LocalDate JAN_01 = LocalDate.of(2026, 1, 1);
    private static final LocalDate FEB_01 = LocalDate.of(2026, 2, 1);
    private static final LocalDate MAR_01 = LocalDate.of(2026, 3, 1);
    private static final LocalDate APR_01 = LocalDate.of(2026, 4, 1);
    private static final LocalDate MAY_01 = LocalDate.of(2026, 5, 1);
    private static final LocalDate JUN_01 = LocalDate.of(2026, 6, 1);

    private Chaos() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> parts = Set.of(args);
        Instant started = Instant.now();
        List<ChaosFigure> figures = new ArrayList<>();
        run(parts, "R1", DuplicateDeliveries.NAME, figures, () -> DuplicateDeliveries.run(JAN_01, 30, 1));
        run(parts, "R2", CrashAtEveryStep.NAME, figures, () -> CrashAtEveryStep.run(FEB_01));
        run(parts, "R3", RacingWriters.NAME, figures, () -> RacingWriters.run(MAR_01, 200, 20, 3));
        run(parts, "R4", Poison.NAME, figures, () -> Poison.run(APR_01, 10, 20, 4));
        run(parts, "R5", Throttling.NAME, figures, () -> Throttling.run(JAN_01, 60, 0.10, 0.30, 7));
        run(parts, "FUZZ", Fuzz.PAYLOADS, figures, () -> Fuzz.payloads(10_000, 5));
        run(parts, "FUZZ", Fuzz.MESSAGES, figures, () -> Fuzz.messages(1_000, 6));
        run(parts, "PREFIX", PrefixReaderInterval.NAME, figures, () -> PrefixReaderInterval.run(JUN_01, 20, 8));
        run(parts, "E2E", EndToEnd.NAME, figures, () -> EndToEnd.run(JAN_01, 60, 12, 9));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("startedAt", started.toString());
        run.put("seconds", Duration.between(started, Instant.now()).toSeconds());
        run.put("processors", Runtime.getRuntime().availableProcessors());
        run.put("java", System.getProperty("java.version"));
        ChaosReport report = new ChaosReport(run, figures);
        report.print(System.out);
        Path json = Path.of("target", "chaos", "report.json");
        report.write(json);
        System.out.println("Written: " + json + (report.held() ? "" : " — SOME SCENARIO BROKE"));
        System.exit(report.held() ? 0 : 1);
    }

    private static void run(Set<String> parts, String part, String name, List<ChaosFigure> figures,
                            Callable<ChaosFigure> scenario) {
        if (!parts.isEmpty() && !parts.contains(part)) {
            return;
        }
        System.out.println("chaos: " + name + " …");
        try {
            figures.add(scenario.call());
        } catch (Exception | Error e) {
            figures.add(ChaosFigure.failed(name, e));
        }
    }
}
