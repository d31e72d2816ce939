package dev.backfill.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.InvalidRequestException;
import dev.backfill.action.ActionRouter;
import dev.backfill.store.InMemoryObjectStore;
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
 * action that only reads answers them, and each run action refuses them only because the run is unknown — so a
 * fuzzed request is refused for its defects, not for its base.
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
    void wellFormedReads_areAnswered_andRunActions_refusedOnlyAsUnknownRuns() {
        BadPayloads payloads = new BadPayloads(11);
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> request = payloads.wellFormed();
            String kind = payloads.kind();
            InMemoryObjectStore store = new InMemoryObjectStore();
            RecordingQueue queue = new RecordingQueue();
            ActionRouter router = Fuzz.router(store, queue, io);
            if (READS.contains(kind)) {
                assertThat(router.handle(request)).as("%s", request).isNotNull();
                assertThat(store.list("")).as("%s writes nothing", request).isEmpty();
                seen.add(kind);
            } else if (RUN_ACTIONS.contains(kind)) {
                assertThatThrownBy(() -> router.handle(request)).as("%s", request)
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessage("Unknown runId '" + BadPayloads.UNKNOWN_RUN + "'");
                seen.add(kind);
            }
            assertThat(queue.sent()).as("%s", request).isEmpty();
        }

        assertThat(seen).as("every reading and run action's base was tried").containsAll(READS)
                .containsAll(RUN_ACTIONS);
    }
}
