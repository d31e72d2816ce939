package dev.backfill.partition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which manifest version was current at an instant, when S3 lists times to the second. */
class ManifestAsOfTest {

    private static final String KEY = "tables/t/dt=2026-04-09/_manifest.json";
    private static final Instant SECOND = Instant.parse("2026-11-30T10:00:00Z");

    private final Map<String, Instant> committed = new HashMap<>();

    @Test
    void current_inTheSecondOfTwoCommits_theCommitTimeDecides() {
        List<ObjectVersionSummary> versions = List.of(manifest("m2", 700), manifest("m1", 200));

        assertThat(current(versions, 100)).isEmpty();
        assertThat(current(versions, 200)).contains("m1");
        assertThat(current(versions, 699)).contains("m1");
        assertThat(current(versions, 700)).contains("m2");
    }

    @Test
    void current_aDeleteMarkerInALaterSecond_doesNotHideTheVersionBeforeIt() {
        List<ObjectVersionSummary> versions = List.of(marker("d", 1_300), manifest("m1", 200));

        assertThat(current(versions, 900)).contains("m1");
        assertThat(current(versions, 1_000)).isEmpty();
    }

    @Test
    void current_deletedThenCommittedAgainInOneSecond_theNewCommitIsNewerThanTheMarker() {
        List<ObjectVersionSummary> versions = List.of(manifest("m2", 1_600), marker("d", 1_100),
                manifest("m1", 200));

        assertThat(current(versions, 900)).contains("m1");
        assertThat(current(versions, 1_500)).isEmpty();
        assertThat(current(versions, 1_600)).contains("m2");
    }

    @Test
    void current_aLatestMarkerInTheInstantsSecond_isAfterTheInstantWhenAVersionOfThatSecondIs() {
        List<ObjectVersionSummary> versions = List.of(marker("d", 1_900), manifest("m2", 1_500),
                manifest("m1", 200));

        assertThat(current(versions, 1_400)).contains("m1");
        assertThat(current(versions, 1_950)).isEmpty();
    }

    @Test
    void current_aCommitTimeOutsideTheListedSecond_isOverruledByTheListedSecond() {
        committed.put("m1", SECOND.minusSeconds(30));
        List<ObjectVersionSummary> versions = List.of(version("m1", SECOND.plusMillis(400), false));

        assertThat(current(versions, 0)).contains("m1");
        assertThat(ManifestAsOf.current(versions, SECOND.minusMillis(1), this::manifest)).isEmpty();
    }

    private Optional<String> current(List<ObjectVersionSummary> versions, long millis) {
        return ManifestAsOf.current(versions, SECOND.plusMillis(millis), this::manifest)
                .map(ObjectVersionSummary::versionId);
    }

    private ObjectVersionSummary manifest(String id, long millis) {
        committed.put(id, SECOND.plusMillis(millis));
        return version(id, SECOND.plusMillis(millis), false);
    }

    private static ObjectVersionSummary marker(String id, long millis) {
        return version(id, SECOND.plusMillis(millis), true);
    }

    /** Listed as S3 lists it: to the second. */
    private static ObjectVersionSummary version(String id, Instant at, boolean deleteMarker) {
        return new ObjectVersionSummary(KEY, id, at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                deleteMarker);
    }

    private Manifest manifest(ObjectVersionSummary version) {
        Instant at = committed.get(version.versionId());
        return new Manifest(Manifest.VERSION, "t", "t", new Manifest.WindowRef("2026-04-09",
                Instant.parse("2026-04-09T00:00:00Z"), Instant.parse("2026-04-10T00:00:00Z")),
                "run-" + version.versionId(), 1, "f1-a1-x", "test", 0, List.of(), List.of(),
                at.minus(Duration.ofSeconds(1)), at);
    }
}
