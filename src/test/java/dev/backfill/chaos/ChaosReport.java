package dev.backfill.chaos;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.backfill.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The chaos run's output: one table (Markdown, so the README can quote it) and {@code target/chaos/report.json}. */
final class ChaosReport {

    private static final String[] HEADER = {"scenario", "faults injected", "outcome", "lost", "duplicated",
            "mixed reads", "orphans", "verdict"};

    private final Map<String, Object> run;
    private final List<ChaosFigure> figures;

    ChaosReport(Map<String, Object> run, List<ChaosFigure> figures) {
        this.run = new LinkedHashMap<>(run);
        this.figures = List.copyOf(figures);
    }

    boolean held() {
        return figures.stream().allMatch(ChaosFigure::held);
    }

    void print(PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ChaosFigure f : figures) {
            rows.add(new String[] {f.scenario(), f.faults(), f.outcome(), count(f.lost()), count(f.duplicated()),
                    count(f.mixedReads()), count(f.orphans()), f.held() ? "held" : "BROKEN"});
        }
        int[] widths = new int[HEADER.length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        out.println();
        out.println(line(rows.get(0), widths));
        String[] dashes = new String[widths.length];
        for (int i = 0; i < widths.length; i++) {
            dashes[i] = "-".repeat(widths[i]);
        }
        out.println(line(dashes, widths));
        rows.subList(1, rows.size()).forEach(row -> out.println(line(row, widths)));
        out.println();
        out.println("Run: " + run);
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("run", run);
        document.put("held", held());
        document.put("figures", figures);
        Files.write(file, Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(document));
    }

    private static String count(long n) {
        return n < 0 ? "?" : String.format("%,d", n);
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            line.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        return line.toString();
    }
}
