package dev.backfill.bench;

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

/** The bench's output: one table (Markdown, so the README can quote it) and {@code target/bench/bench.json}. */
final class BenchReport {

    private static final String[] HEADER = {"figure", "goal", "measured", "baseline", "ratio", "verdict"};

    private final Map<String, Object> machine;
    private final List<Section> sections;

    BenchReport(Map<String, Object> machine, List<Section> sections) {
        this.machine = new LinkedHashMap<>(machine);
        this.sections = List.copyOf(sections);
    }

    void print(PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Section section : sections) {
            for (Figure f : section.figures()) {
                rows.add(new String[] {f.figure(), f.goal(), f.measured(), f.baseline(), f.ratio(),
                        f.verdict().name().toLowerCase()});
            }
        }
        int[] widths = new int[HEADER.length];
        rows.forEach(row -> {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        });
        out.println();
        out.println(line(rows.get(0), widths));
        out.println(line(dashes(widths), widths));
        rows.subList(1, rows.size()).forEach(row -> out.println(line(row, widths)));
        out.println();
        for (Section section : sections) {
            out.println(section.id() + " " + section.title() + ": " + section.method());
        }
        out.println();
        out.println("Machine: " + machine);
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", machine);
        document.put("sections", sections);
        Files.write(file, Json.mapper().writer().with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsBytes(document));
    }

    private static String line(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            line.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
        }
        return line.toString();
    }

    private static String[] dashes(int[] widths) {
        String[] dashes = new String[widths.length];
        for (int i = 0; i < widths.length; i++) {
            dashes[i] = "-".repeat(widths[i]);
        }
        return dashes;
    }
}
