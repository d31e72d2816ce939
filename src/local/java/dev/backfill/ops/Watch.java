package dev.backfill.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backfill.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;

/** {@code make watch RUN=…}: a live progress bar from {@code status}, redrawn until the run ends. */
public final class Watch {

    private static final Set<String> ACTIVE = Set.of("queued", "running");
    private static final int WIDTH = 30;

    private final Invoker invoker;
    private final PrintStream out;

    Watch(Invoker invoker, PrintStream out) {
        this.invoker = invoker;
        this.out = out;
    }

    /** Polls {@code status} every {@code every} and redraws one line; prints the final status when the run ends. */
    void follow(ObjectNode statusRequest, Duration every) throws IOException, InterruptedException {
        while (true) {
            JsonNode status = Json.mapper().readTree(invoker.invoke(statusRequest.toString()));
            boolean active = ACTIVE.contains(status.path("state").asText());
            out.print("\r" + line(status) + (active ? "" : System.lineSeparator()));
            out.flush();
            if (!active) {
                out.print(AnswerTables.render("status", status));
                return;
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** {@code [#########-----]  12/21 done · 1 failed · 42.0 windows/min · ETA 10:42:13Z · running}. */
    public static String line(JsonNode status) {
        int total = status.path("windows").asInt();
        JsonNode counts = status.path("counts");
        int done = counts.path("succeeded").asInt() + counts.path("superseded").asInt() + counts.path("staged").asInt();
        int failed = counts.path("failed").asInt();
        int filled = total == 0 ? WIDTH : (int) Math.round((double) WIDTH * done / total);
        double minutes = Math.max(1e-9, status.path("elapsedSeconds").asLong() / 60.0);
        String rate = status.path("elapsedSeconds").asLong() > 0 ? String.format("%.1f windows/min", done / minutes)
                : "– windows/min";
        String eta = status.path("eta").isTextual() ? "ETA " + status.path("eta").asText().substring(11, 19) + "Z"
                : "ETA –";
        return String.format("[%s%s] %d/%d done · %d failed · %s · %s · %s   ", "#".repeat(filled),
                "-".repeat(WIDTH - filled), done, total, failed, rate, eta, status.path("state").asText());
    }
}
