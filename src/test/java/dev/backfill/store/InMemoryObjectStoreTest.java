package dev.backfill.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.store.ObjectStore.ObjectVersion;
import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake behaves like a versioned S3 bucket on every point the domain relies on. */
class InMemoryObjectStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String KEY = "tables/t/dt=2026-04-09/_manifest.json";
    /** MD5 of "hello", as S3 reports it for a single-part upload. */
    private static final String HELLO_ETAG = "\"5d41402abc4b2a76b9719d911017c592\"";

    private final InMemoryObjectStore store = new InMemoryObjectStore(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void put_returnsQuotedHexMd5ETagAndSize() {
        ObjectVersion written = store.put(KEY, bytes("hello"));

        assertThat(written.etag()).isEqualTo(HELLO_ETAG);
        assertThat(written.size()).isEqualTo(5);
        assertThat(store.list("tables/")).containsExactly(new ObjectSummary(KEY, HELLO_ETAG, 5, NOW));
    }

    @Test
    void put_sameKeyTwice_makesTwoVersionsAndServesTheNewest() {
        ObjectVersion first = store.put(KEY, bytes("one"));
        ObjectVersion second = store.put(KEY, bytes("two"));

        assertThat(second.versionId()).isNotEqualTo(first.versionId());
        assertThat(text(store.get(KEY).orElseThrow().content())).isEqualTo("two");
        assertThat(store.get(KEY).orElseThrow().version()).isEqualTo(second);
        assertThat(text(store.getVersion(KEY, first.versionId()).orElseThrow().content())).isEqualTo("one");
    }

    @Test
    void put_keepsItsOwnCopyOfTheContent() {
        byte[] content = bytes("hello");
        store.put(KEY, content);
        content[0] = 'j';

        assertThat(text(store.get(KEY).orElseThrow().content())).isEqualTo("hello");
    }

    @Test
    void put_file_storesTheFileContent(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("part.jsonl"), "hello");

        ObjectVersion written = store.put(KEY, file);

        assertThat(written.etag()).isEqualTo(HELLO_ETAG);
        assertThat(text(store.get(KEY).orElseThrow().content())).isEqualTo("hello");
    }

    @Test
    void deleteAll_addsDeleteMarkers_olderVersionsStayReadableById() {
        ObjectVersion old = store.put(KEY, bytes("hello"));

        int deleted = store.deleteAll(List.of(KEY));

        assertThat(deleted).isEqualTo(1);
        assertThat(store.list("")).isEmpty();
        assertThat(store.get(KEY)).isEmpty();
        assertThat(text(store.getVersion(KEY, old.versionId()).orElseThrow().content())).isEqualTo("hello");
        assertThat(store.listVersions(KEY)).extracting(ObjectVersionSummary::deleteMarker).containsExactly(true, false);
    }

    @Test
    void deleteAll_keysThatDoNotExist_areNotAnError_andCountLikeS3() {
        store.put("a", bytes("1"));

        assertThat(store.deleteAll(List.of("a", "missing"))).isEqualTo(2);
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void listVersions_newestFirstWithinEachKey_keysInOrder() {
        ObjectVersion b1 = store.put("b", bytes("1"));
        ObjectVersion a1 = store.put("a", bytes("1"));
        ObjectVersion b2 = store.put("b", bytes("2"));
        store.deleteAll(List.of("a"));
        ObjectVersionSummary marker = store.listVersions("a").get(0);

        assertThat(store.listVersions("")).containsExactly(
                new ObjectVersionSummary("a", marker.versionId(), NOW, true),
                new ObjectVersionSummary("a", a1.versionId(), NOW, false),
                new ObjectVersionSummary("b", b2.versionId(), NOW, false),
                new ObjectVersionSummary("b", b1.versionId(), NOW, false));
        assertThat(store.getVersion("a", marker.versionId())).isEmpty();
    }

    @Test
    void list_givesCurrentObjectsUnderThePrefixInKeyOrder() {
        store.put("p/c", bytes("3"));
        store.put("p/a", bytes("1"));
        store.put("q/b", bytes("2"));
        store.put("p/b", bytes("2"));
        store.deleteAll(List.of("p/b"));

        assertThat(store.list("p/")).extracting(ObjectSummary::key).containsExactly("p/a", "p/c");
    }

    @Test
    void putIfAbsent_existingKey_isRefused() {
        store.put(KEY, bytes("one"));

        assertThatThrownBy(() -> store.putIfAbsent(KEY, bytes("two")))
                .isInstanceOf(PreconditionFailedException.class)
                .hasMessage("Conditional write of " + KEY + " failed: the object changed since it was read");
        assertThat(text(store.get(KEY).orElseThrow().content())).isEqualTo("one");
    }

    @Test
    void putIfAbsent_afterDelete_writes() {
        store.put(KEY, bytes("one"));
        store.deleteAll(List.of(KEY));

        store.putIfAbsent(KEY, bytes("two"));

        assertThat(text(store.get(KEY).orElseThrow().content())).isEqualTo("two");
    }

    @Test
    void putIfMatch_currentETag_writes() {
        ObjectVersion first = store.put(KEY, bytes("one"));

        ObjectVersion second = store.putIfMatch(KEY, bytes("two"), first.etag());

        assertThat(store.get(KEY).orElseThrow().version()).isEqualTo(second);
    }

    @Test
    void putIfMatch_staleETag_isRefused() {
        ObjectVersion first = store.put(KEY, bytes("one"));
        store.put(KEY, bytes("two"));

        assertThatThrownBy(() -> store.putIfMatch(KEY, bytes("three"), first.etag()))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(text(store.get(KEY).orElseThrow().content())).isEqualTo("two");
    }

    @Test
    void putIfMatch_absentOrDeletedKey_isRefused() {
        assertThatThrownBy(() -> store.putIfMatch(KEY, bytes("one"), HELLO_ETAG))
                .isInstanceOf(PreconditionFailedException.class);

        store.put(KEY, bytes("hello"));
        store.deleteAll(List.of(KEY));

        assertThatThrownBy(() -> store.putIfMatch(KEY, bytes("one"), HELLO_ETAG))
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void open_namesTheVersionItReads() throws IOException {
        store.put(KEY, bytes("one"));
        ObjectVersion current = store.put(KEY, bytes("two"));

        try (ObjectStream stream = store.open(KEY)) {
            assertThat(stream.key()).isEqualTo(KEY);
            assertThat(stream.versionId()).isEqualTo(current.versionId());
            assertThat(text(stream.readAllBytes())).isEqualTo("two");
        }
    }

    @Test
    void openVersion_readsThatVersion() throws IOException {
        ObjectVersion first = store.put(KEY, bytes("one"));
        store.put(KEY, bytes("two"));

        try (ObjectStream stream = store.openVersion(KEY, first.versionId())) {
            assertThat(stream.versionId()).isEqualTo(first.versionId());
            assertThat(text(stream.readAllBytes())).isEqualTo("one");
        }
    }

    @Test
    void open_missingOrDeletedKey_throwsNotFound() {
        assertThatThrownBy(() -> store.open(KEY))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("No object at " + KEY);

        store.put(KEY, bytes("one"));
        store.deleteAll(List.of(KEY));

        assertThatThrownBy(() -> store.open(KEY)).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    void openVersion_unknownVersion_throwsNotFound() {
        store.put(KEY, bytes("one"));

        assertThatThrownBy(() -> store.openVersion(KEY, "v99999999"))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessage("No version v99999999 of " + KEY);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }
}
