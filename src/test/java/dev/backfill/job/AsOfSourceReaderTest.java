package dev.backfill.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backfill.BackfillException;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.job.SourceReader.SourceObject;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import dev.backfill.testing.LocalServers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The as-of source reader against S3Proxy, whose listings time versions to the second as S3 does. */
class AsOfSourceReaderTest {

    private static final String PREFIX = "raw/events/dt=2026-04-09/";
    private static final String A = PREFIX + "a.jsonl";
    private static final String B = PREFIX + "b.jsonl";
    private static final String C = PREFIX + "c.jsonl";

    private final ObjectStore store = new S3ObjectStore(LocalServers.get().s3(),
            LocalServers.get().newBucket("as-of"));

    @Test
    void readsEachInputAsItWasAtTheInstant_afterOverwritesDeletesAndNewObjects() throws IOException {
        ObjectVersion a1 = store.put(A, bytes("a1"));
        ObjectVersion b1 = store.put(B, bytes("b1"));
        Instant t = instantBetweenWrites();
        store.put(A, bytes("a2"));
        store.deleteAll(List.of(B));
        store.put(C, bytes("c1"));

        AsOfSourceReader reader = new AsOfSourceReader(store, RateBudget.unlimited(), t);
        List<SourceObject> listed = reader.list(PREFIX);

        assertThat(listed).extracting(SourceObject::key).containsExactly(A, B);
        assertThat(read(reader, listed.get(0))).isEqualTo("a1");
        assertThat(read(reader, listed.get(1))).isEqualTo("b1");
        assertThat(reader.inputsRead()).containsExactly(new InputRef(A, a1.versionId()),
                new InputRef(B, b1.versionId()));
        assertThat(new AsOfSourceReader(store, RateBudget.unlimited(), Instant.now().plusSeconds(1)).list(PREFIX))
                .extracting(SourceObject::key).containsExactly(A, C);
    }

    @Test
    void anInstantInTheSecondAVersionIsListedAt_isRefused_andOneBeforeEveryVersionListsNothing() {
        store.put(A, bytes("a1"));
        // The oldest version: a client that retried the PUT after it landed (its answer lost under load) made two,
        // and a second later than the first would make "a nanosecond before the newest" fall in the first's second.
        ObjectVersionSummary listed = store.listVersions(A).stream()
                .min(Comparator.comparing(ObjectVersionSummary::lastModified)).orElseThrow();
        Instant inThatSecond = listed.lastModified().plusMillis(500);

        assertThatThrownBy(() -> new AsOfSourceReader(store, RateBudget.unlimited(), inThatSecond).list(PREFIX))
                .isInstanceOf(BackfillException.class)
                .hasMessage("Input " + A + " has a version listed at " + listed.lastModified() + ", the second of "
                        + "inputsAsOf " + inThatSecond + ": S3 times versions to the second, so whether it was current "
                        + "at that instant is unknown; choose an instant outside that second");
        assertThat(new AsOfSourceReader(store, RateBudget.unlimited(), listed.lastModified().minusNanos(1))
                .list(PREFIX)).isEmpty();
    }

    private static String read(SourceReader reader, SourceObject object) throws IOException {
        try (InputStream in = reader.open(object)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** An instant in a second after every write so far and before the second of every later write. */
    private static Instant instantBetweenWrites() {
        Instant written = Instant.now();
        await("the wall clock past the second of the last write, " + written).atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > written.getEpochSecond());
        Instant between = Instant.now();
        await("the wall clock past the second of the instant between writes, " + between)
                .atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > between.getEpochSecond());
        return between;
    }
}
