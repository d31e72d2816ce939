package dev.backfill.action;

import dev.backfill.example.DailyEventCounts;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.Operator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The demo's story in miniature, over one in-memory bucket: three days committed by the buggy job (refunds counted
 * as purchases), then a backfill with the fixed job an hour later.
 */
final class TimeTravelFixture implements AutoCloseable {

    static final Instant START = Instant.parse("2026-05-10T08:00:00Z");
    static final LocalDate APR_09 = LocalDate.parse("2026-04-09");
    static final LocalDate APR_12 = LocalDate.parse("2026-04-12");
    static final String RANGE = "\"start\":\"2026-04-09\",\"end\":\"2026-04-12\"";

    final MutableClock clock = new MutableClock(START);
    final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    final Operator buggy;
    final Operator fixed;
    /** After the buggy commits, before the backfill. */
    Instant buggyTime;
    String buggyRun;
    String fixRun;

    TimeTravelFixture(DispatcherActions.TimeTravel timeTravel) {
        buggy = new Operator(store, clock, ZoneOffset.UTC, 3660,
                List.of(new DailyEventCounts(DailyEventCounts.Logic.REFUNDS_AS_PURCHASES)), timeTravel);
        fixed = new Operator(store, clock, ZoneOffset.UTC, 3660, List.of(DailyEventCounts.fixed()), timeTravel);
        DemoEventGenerator.standard().writeDays(store, APR_09, APR_12);
    }

    TimeTravelFixture() {
        this(DispatcherActions.TimeTravel.DEFAULTS);
    }

    /** The buggy schedule's days, then the fixed backfill; returns this. */
    TimeTravelFixture story() {
        buggyRun = buggy.call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\"," + RANGE + "}")
                .path("runId").asText();
        buggy.work();
        clock.advance(Duration.ofMinutes(30));
        buggyTime = clock.instant();
        clock.advance(Duration.ofMinutes(30));
        fixRun = fixed.call("{\"action\":\"backfill\",\"job\":\"daily_event_counts\"," + RANGE + "}")
                .path("runId").asText();
        clock.advance(Duration.ofSeconds(5));
        fixed.work();
        clock.advance(Duration.ofMinutes(5));
        return this;
    }

    /** The run record's creation instant, as JSON writes it. */
    String ledgerCreatedAt(String runId) {
        return fixed.ledger().run(runId).orElseThrow().createdAt().toString();
    }

    @Override
    public void close() {
        buggy.close();
        fixed.close();
    }
}
