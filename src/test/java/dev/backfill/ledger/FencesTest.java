package dev.backfill.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.Bounded;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Fences never go backwards and are never shared, whatever the dispatchers' clocks do. */
class FencesTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final Fences fences = new Fences(new InMemoryObjectStore());

    @Test
    void allocate_followsTheClockInMicroseconds() {
        assertThat(fences.allocate("job", NOW)).isEqualTo(NOW.getEpochSecond() * 1_000_000);
    }

    @Test
    void allocate_withAClockThatWentBackwards_stillGoesForward() {
        long first = fences.allocate("job", NOW);

        long second = fences.allocate("job", NOW.minus(Duration.ofHours(1)));

        assertThat(second).isEqualTo(first + 1);
    }

    @Test
    void allocate_concurrently_givesEveryDispatchItsOwnFence() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<Long> claimed = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> calls = IntStream.range(0, 16)
                    .mapToObj(i -> pool.submit(() -> claimed.add(fences.allocate("job", NOW)))).<Future<?>>map(f -> f)
                    .toList();
            for (Future<?> call : calls) {
                Bounded.get(call, Duration.ofSeconds(30), "a concurrent fence allocation");
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(claimed).hasSize(16);
    }
}
