package dev.backfill.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.Json;
import dev.backfill.example.*;
import dev.backfill.job.*;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.CapturingSink;
import dev.backfill.window.*;
import java.time.*;
import org.junit.jupiter.api.Test;

class HourlyPurchasesTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final LocalDate OCT_25 = LocalDate.of(2026, 10, 25); // 25 hours in Berlin

    private final InMemoryObjectStore store = new InMemoryObjectStore();

    @Test
    void run_everyHourOfThe25HourDay_addsUpToTheDaysPurchases() throws Exception {
        DemoEventGenerator.standard().writeDays(store, OCT_25.minusDays(1), OCT_25.plusDays(1));
        long purchases = 0, cents = 0;

        for (Window hour : Grain.HOUR.windowsOf(OCT_25, BERLIN)) {
            var row = Json.mapper().readTree(run(new HourlyPurchases(), hour).lines().get(0));
            purchases += row.get("purchases").asLong();
            cents += row.get("amount_cents").asLong();
        }

        String dayRow = run(DailyEventCounts.fixed(), Window.day(OCT_25, BERLIN)).lines().stream()
                .filter(line -> line.contains("\"type\":\"purchase\"")).findFirst().orElseThrow();
        var day = Json.mapper().readTree(dayRow);
        assertThat(purchases).isPositive().isEqualTo(day.get("events").asLong());
        assertThat(cents).isEqualTo(day.get("amount_cents").asLong());
    }

    private CapturingSink run(WindowJob job, Window window) throws Exception {
        CapturingSink sink = new CapturingSink();
        job.run(new JobContext(window, new ObjectStoreSourceReader(store, RateBudget.unlimited()), sink));
        return sink;
    }
}
