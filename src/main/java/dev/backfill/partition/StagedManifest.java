package dev.backfill.partition;

import java.util.Objects;

/**
 * One partition as a staged run computed it, stored as {@code _staged-<runId>.manifest.json} in the partition's prefix
 * (see {@link PartitionPath#stagedManifestKey}): readers of {@code _manifest.json} and prefix readers never see it.
 * {@code publish} makes it current only if the partition's manifest is still the one it was staged against.
 *
 * @param v             format version, {@value #VERSION}
 * @param manifest      the manifest to publish; its parts are the staged keys (versions included)
 * @param baseEtag      ETag of the {@code _manifest.json} current when the window was staged; {@code null} when the
 *                      partition had none
 * @param baseVersionId that manifest's version id ({@code null} without one, or without versioning)
 * @param baseRunId     the run that wrote that manifest, {@code null} when there was none
 */
public record StagedManifest(int v, Manifest manifest, String baseEtag, String baseVersionId, String baseRunId) {

    public static final int VERSION = 1;

    public StagedManifest {
        Objects.requireNonNull(manifest, "manifest");
    }

    /** True when the partition had no manifest when this window was staged. */
    public boolean stagedOnEmpty() {
        return baseEtag == null;
    }
}
