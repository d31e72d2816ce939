package dev.backfill.partition;

import dev.backfill.store.ObjectStore.ObjectVersionSummary;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which version of one partition's {@code _manifest.json} was current at an instant, from the key's versions and
 * delete markers as {@code ListObjectVersions} gives them (newest first).
 *
 * <p>S3 lists {@code LastModified} to the second, so a version listed in an earlier second than the instant was
 * written before it, and one listed in a later second after it. Within the instant's own second:
 * <ul>
 *   <li>a manifest version's own {@code committedAt} (the writer's clock, to the nanosecond) decides; when it lies
 *       outside the second S3 lists, the clocks disagree and the listed second is taken instead;</li>
 *   <li>a delete marker carries no finer time: it counts from the start of its listed second, so a manifest version
 *       committed later in that second is newer than it (a partition deleted and committed again in one second is
 *       read as committed). The key's latest entry is newer than every other, so a latest delete marker in the
 *       instant's second is after the instant exactly when a version of that second was committed after it.</li>
 * </ul>
 * Manifests are read (one GET each) only for versions listed in the instant's own second.
 */
final class ManifestAsOf {

    private ManifestAsOf() {
    }

    /**
     * @param newestFirst the versions and delete markers of one key, newest first
     * @param manifest    reads one listed manifest version
     * @return the manifest version current at {@code instant}, or empty when the key did not exist or was deleted
     */
    static Optional<ObjectVersionSummary> current(List<ObjectVersionSummary> newestFirst, Instant instant,
                                                  Function<ObjectVersionSummary, Manifest> manifest) {
        Instant second = instant.truncatedTo(ChronoUnit.SECONDS);
        List<ObjectVersionSummary> versions = newestFirst;
        if (!versions.isEmpty() && versions.get(0).deleteMarker()) {
            ObjectVersionSummary latest = versions.get(0);
            Instant listed = listed(latest);
            if (listed.isBefore(second)) {
                return Optional.empty();
            }
            if (listed.equals(second) && versions.stream().skip(1).noneMatch(version -> !version.deleteMarker()
                    && listed(version).equals(second) && effective(version, manifest).isAfter(instant))) {
                return Optional.empty();
            }
            versions = versions.subList(1, versions.size());
        }
        ObjectVersionSummary best = null;
        Instant bestAt = null;
        for (ObjectVersionSummary version : versions) {
            Instant listed = listed(version);
            if (listed.isAfter(second)) {
                continue;
            }
            Instant at = version.deleteMarker() || listed.isBefore(second) ? listed : effective(version, manifest);
            if (at.isAfter(instant)) {
                continue;
            }
            // Newer wins; at equal times a manifest beats a delete marker, and the one listed first (newer) wins.
            if (best == null || at.isAfter(bestAt) || at.equals(bestAt) && best.deleteMarker()
                    && !version.deleteMarker()) {
                best = version;
                bestAt = at;
            }
        }
        return best == null || best.deleteMarker() ? Optional.empty() : Optional.of(best);
    }

    private static Instant listed(ObjectVersionSummary version) {
        return version.lastModified().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A manifest version's commit time, when it lies in the second S3 lists for it; else that second. */
    private static Instant effective(ObjectVersionSummary version, Function<ObjectVersionSummary, Manifest> manifest) {
        Instant listed = listed(version);
        Instant committed = manifest.apply(version).committedAt();
        boolean inSecond = committed != null && !committed.isBefore(listed)
                && committed.isBefore(listed.plusSeconds(1));
        return inSecond ? committed : listed;
    }
}
