package dev.backfill.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.InvalidRequestException;
import dev.backfill.Json;
import dev.backfill.action.ActionRouter;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.MutableClock;
import dev.backfill.testing.RecordingQueue;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fuzz's control: the requests {@link BadPayloads} starts from, before their defects, are well-formed — each
 * action that only reads answers them, a run action refuses the unknown run only because it is unknown, and the
 * staged run the fuzzed store holds is there to act on — so a fuzzed request is refused for its defects, not for
 * its base.
 */
class BadPayloadsTest {

    private static final Set<String> READS = Set.of("read", "diff", "watermark", "runs", "redrive");
    private static final Set<String> RUN_ACTIONS = Set.of("status", "cancel", "retry", "report", "publish",
            "discard");

    private final ExecutorService io = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        io.shutdownNow();
    }

    @Test
    void wellFormedReads_areAnswered_runActionsOfTheUnknownRun_refusedOnlyAsUnknown_andTheStagedRunIsThere() {
        InMemoryObjectStore store = new InMemoryObjectStore(new MutableClock(Fuzz.SEEDED_AT));
        String stagedRun = Fuzz.stagedRun(store);
        Fuzz.Writes writes = new Fuzz.Writes(store);
        RecordingQueue queue = new RecordingQueue();
        ActionRouter router = Fuzz.router(writes, queue, io);
        BadPayloads payloads = new BadPayloads(11, stagedRun);
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> request = payloads.wellFormed();
            String kind = payloads.kind();
            Object runId = request.get("runId");
            if (READS.contains(kind) || kind.equals("status") && stagedRun.equals(runId)) {
                assertThat(router.handle(request)).as("%s", request).isNotNull();
                seen.add(kind + (runId == null ? "" : " of the staged run"));
            } else if (RUN_ACTIONS.contains(kind) && BadPayloads.UNKNOWN_RUN.equals(runId)) {
                assertThatThrownBy(() -> router.handle(request)).as("%s", request)
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessage("Unknown runId '" + BadPayloads.UNKNOWN_RUN + "'");
                seen.add(kind + " of the unknown run");
            }
        }
        JsonNode status = Json.mapper().valueToTree(router.handle(Map.of("action", "status", "runId", stagedRun)));

        assertThat(seen).containsAll(READS).contains("status of the staged run", "status of the unknown run",
                "cancel of the unknown run", "retry of the unknown run", "report of the unknown run",
                "publish of the unknown run", "discard of the unknown run");
        assertThat(status.path("state").asText()).isEqualTo("staged");
        assertThat(status.path("counts").path("staged").asInt()).isEqualTo(3);
        assertThat(writes.count.get()).as("objects written by reads").isZero();
        assertThat(queue.sent()).isEmpty();
    }
}
