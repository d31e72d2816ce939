package dev.backfill.guide;

import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.job.*;
import dev.backfill.job.OutputSchema.Column;
import dev.backfill.window.*;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.time.*;
import java.util.*;
import java.util.zip.GZIPInputStream;

/** Purchases and their cents per hour of BACKFILL_ZONE, from the raw events (partitioned by UTC day). */
@ApplicationScoped
public class HourlyPurchases implements WindowJob {
    @Override public String name() { return "hourly_purchases"; }
    @Override public String table() { return "hourly_purchases"; }
    @Override public Grain grain() { return Grain.HOUR; }

    @Override public InputSpec inputs(Window window) {
        return InputSpec.under("raw/events/dt=" + LocalDate.ofInstant(window.start(), ZoneOffset.UTC) + "/", ".gz");
    }

    @Override public OutputSchema outputSchema() {
        return new OutputSchema(List.of(), List.of(Column.bigint("purchases"), Column.bigint("amount_cents")));
    }

    @Override public JobResult run(JobContext context) throws IOException {
        Window window = context.window();
        var objects = context.source().list(inputs(window).prefixes().get(0));
        if (objects.isEmpty()) { // never commit an empty hour: the upstream may be late
            throw new RetryableException("No events for " + window.label() + " yet");
        }
        long read = 0, purchases = 0, cents = 0;
        for (var object : objects) {
            try (var lines = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(context.source().open(object)), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine(), read++) {
                    var event = Json.mapper().readTree(line);
                    if (window.contains(Instant.parse(event.get("ts").asText()))
                            && event.get("type").asText().equals("purchase")) {
                        purchases++;
                        cents += event.path("amount_cents").asLong();
                    }
                }
            }
        }
        try (var part = context.sink().openPart()) {
            part.writeLine(Json.writeString(new TreeMap<>(Map.of("purchases", purchases, "amount_cents", cents))));
            return new JobResult(read, part.rows());
        }
    }
}
