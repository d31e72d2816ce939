package dev.backfill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.job.SourceReader.SourceObject;
import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStream;
import dev.backfill.store.ThrottledException;
import dev.backfill.testing.Gzip;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the source reader asks of the upstream, counted through the rate budget. */
class UpstreamMeterTest {

    private static final String APR_09_INPUT = "raw/events/dt=2026-04-09/";
    private static final String FILE_0 = APR_09_INPUT + "events-0000.jsonl.gz";

    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private final UpstreamMeter meter = new UpstreamMeter();
    private final AtomicInteger permits = new AtomicInteger();
    private final AtomicInteger throttles = new AtomicInteger();
    private final RateBudget budget = new RateBudget() {
        @Override
        public void acquire() {
            permits.incrementAndGet();
        }

        @Override
        public void throttled() {
            throttles.incrementAndGet();
        }
    };

    @Test
    void reader_countsOneRequestPerListAndPerOpen() throws IOException {
        store.put(FILE_0, Gzip.ofLines("{\"user\":\"u1\",\"type\":\"view\"}"));
        UpstreamMeter.Counts before = meter.snapshot();
        ObjectStoreSourceReader reader = new ObjectStoreSourceReader(store, meter.metering(budget));

        for (SourceObject object : reader.list(APR_09_INPUT)) {
            try (InputStream in = reader.open(object)) {
                in.readAllBytes();
            }
        }

        assertThat(meter.snapshot().since(before)).isEqualTo(new UpstreamMeter.Counts(2, 0));
        assertThat(permits).hasValue(2);
    }

    @Test
    void reader_throttledByTheStore_tellsTheBudgetAndRethrows() {
        store.put(FILE_0, Gzip.ofLines("{\"user\":\"u1\",\"type\":\"view\"}"));
        ForwardingObjectStore throttling = new ForwardingObjectStore(store) {
            @Override
            public ObjectStream open(String key) {
                throw new ThrottledException("GetObject " + key + " was throttled: 503 SlowDown", null);
            }
        };
        ObjectStoreSourceReader reader = new ObjectStoreSourceReader(throttling, meter.metering(budget));
        SourceObject object = reader.list(APR_09_INPUT).get(0);

        assertThatThrownBy(() -> reader.open(object)).isInstanceOf(ThrottledException.class)
                .hasMessageContaining("503 SlowDown");
        assertThat(meter.snapshot()).isEqualTo(new UpstreamMeter.Counts(2, 1));
        assertThat(throttles).as("the metered budget passes the throttle on").hasValue(1);
    }

    @Test
    void counts_since_isTheDifference_andNeverNegative() {
        assertThat(new UpstreamMeter.Counts(5, 2).since(new UpstreamMeter.Counts(3, 1)))
                .isEqualTo(new UpstreamMeter.Counts(2, 1));
        assertThatThrownBy(() -> new UpstreamMeter.Counts(1, 0).since(new UpstreamMeter.Counts(3, 0)))
                .hasMessage("Upstream counts must not be negative: requests -2, throttled 0");
    }
}
