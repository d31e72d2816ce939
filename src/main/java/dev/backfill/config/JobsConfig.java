package dev.backfill.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.util.Map;

/**
 * Each job's own settings, {@code backfill.jobs.<job>.<setting>=<value>}, by job name; handed to jobs as
 * {@link dev.backfill.job.JobSettings}. An environment variable cannot say where a job name with underscores ends
 * ({@code BACKFILL_JOBS_API_DAILY_SNAPSHOT_BASE_URL}), so this map holds what property files set, and a job's
 * setting is looked up by its full name first ({@link BackfillProducers}), which finds the variable too.
 */
@ConfigMapping(prefix = "backfill.jobs")
public interface JobsConfig {

    /** Settings by job name, then by setting name. */
    @WithParentName
    Map<String, Map<String, String>> byJob();
}
