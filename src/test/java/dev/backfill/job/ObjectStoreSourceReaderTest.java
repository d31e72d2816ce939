package dev.backfill.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.store.InMemoryObjectStore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The source reader spends one permit of the upstream budget per request: each listing page and each open. */
class ObjectStoreSourceReaderTest {

    @Test
    void list_of2500Objects_spendsOnePermitPerPageOfAThousand() {
        InMemoryObjectStore store = new InMemoryObjectStore();
        for (int i = 0; i < 2_500; i++) {
            store.put(String.format("raw/events/dt=2026-04-09/part-%05d.jsonl.gz", i), new byte[] {1});
        }
        AtomicInteger permits = new AtomicInteger();
        ObjectStoreSourceReader reader = new ObjectStoreSourceReader(store, permits::incrementAndGet);

        assertThat(reader.list("raw/events/dt=2026-04-09/")).hasSize(2_500);
        assertThat(permits).hasValue(3);

        reader.open(new SourceReader.SourceObject("raw/events/dt=2026-04-09/part-00000.jsonl.gz", 1));
        assertThat(permits).hasValue(4);
    }
}
