package dev.backfill.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The diff as CSV (RFC 4180, CRLF line ends): one line per day and key, with the key columns, the day's and row's
 * status and, per measure, before, after, delta and percent. Empty cells where a side is absent.
 */
public final class ReportCsv {

    private ReportCsv() {
    }

    public static String render(Diff diff) {
        List<String> header = new ArrayList<>(List.of("day", "presence"));
        header.addAll(diff.keys());
        header.add("status");
        for (String measure : diff.measures()) {
            header.addAll(List.of(measure + "_before", measure + "_after", measure + "_delta", measure + "_percent"));
        }
        StringBuilder csv = new StringBuilder();
        line(csv, header);
        for (Diff.Day day : diff.days()) {
            for (Diff.Row row : day.rows()) {
                List<String> cells = new ArrayList<>(List.of(day.label(), day.presence()));
                diff.keys().forEach(key -> cells.add(row.key().get(key)));
                cells.add(row.status());
                for (String measure : diff.measures()) {
                    Diff.Change change = row.measures().get(measure);
                    cells.add(plain(change.before()));
                    cells.add(plain(change.after()));
                    cells.add(plain(change.delta()));
                    cells.add(change.percent() == null ? "" : change.percent().toString());
                }
                line(csv, cells);
            }
        }
        return csv.toString();
    }

    private static String plain(Number value) {
        return value == null ? "" : Diff.decimal(value).toPlainString();
    }

    private static void line(StringBuilder csv, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(cells.get(i)));
        }
        csv.append("\r\n");
    }

    private static String cell(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
