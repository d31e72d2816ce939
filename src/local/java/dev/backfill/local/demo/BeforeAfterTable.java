package dev.backfill.local.demo;

import dev.backfill.partition.TableReader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.NavigableMap;
import java.util.TreeSet;

/**
 * Each day's purchases as the table showed them at one instant and as it shows them at another, read with
 * {@link TableReader}: purchase events and amount, before, now and the difference.
 */
final class BeforeAfterTable {

    private static final String ROW = "  %-10s | %6s %6s %6s | %12s %12s %12s%n";

    private final TableReader reader;

    BeforeAfterTable(TableReader reader) {
        this.reader = reader;
    }

    /** Daily purchase counts of one day of the table. */
    record Purchases(long events, long amountCents) {

        static final Purchases NONE = new Purchases(0, 0);
    }

    void print(PrintStream out, String table, java.util.List<String> days, Instant before, Instant now) {
        NavigableMap<String, TableReader.PartitionSnapshot> then = reader.read(table, days, before);
        NavigableMap<String, TableReader.PartitionSnapshot> current = reader.read(table, days, now);
        out.println();
        out.println("5. " + table + ", purchases per day: as the reports showed them (the table as of "
                + before.truncatedTo(ChronoUnit.SECONDS) + ") and as they are now:");
        out.printf("  %-10s | %-20s | %-38s%n", "", "purchase events", "purchase amount (USD)");
        out.printf(ROW, "day", "before", "now", "diff", "before", "now", "diff");
        long[] totals = new long[4];
        for (String day : new TreeSet<>(current.keySet())) {
            Purchases was = then.containsKey(day) ? purchases(then.get(day)) : Purchases.NONE;
            Purchases is = purchases(current.get(day));
            out.printf(ROW, day, was.events(), is.events(), signed(is.events() - was.events()),
                    money(was.amountCents()), money(is.amountCents()),
                    signedMoney(is.amountCents() - was.amountCents()));
            totals[0] += was.events();
            totals[1] += is.events();
            totals[2] += was.amountCents();
            totals[3] += is.amountCents();
        }
        out.printf(ROW, "total", totals[0], totals[1], signed(totals[1] - totals[0]), money(totals[2]),
                money(totals[3]), signedMoney(totals[3] - totals[2]));
    }

    private Purchases purchases(TableReader.PartitionSnapshot partition) {
        for (String line : reader.lines(partition)) {
            JsonNode row = parse(line);
            if ("purchase".equals(row.path("type").asText())) {
                return new Purchases(row.path("events").asLong(), row.path("amount_cents").asLong());
            }
        }
        return Purchases.NONE;
    }

    private static JsonNode parse(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON row: " + line.length() + " characters", e);
        }
    }

    private static String signed(long value) {
        return value > 0 ? "+" + value : Long.toString(value);
    }

    private static String money(long cents) {
        return String.format("%,.2f", cents / 100.0);
    }

    private static String signedMoney(long cents) {
        return (cents > 0 ? "+" : "") + money(cents);
    }
}
