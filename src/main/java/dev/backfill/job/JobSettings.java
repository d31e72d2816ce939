package dev.backfill.job;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The settings of every job, by job name: {@code backfill.jobs.<job>.<setting>=<value>} (for example
 * {@code backfill.jobs.api_daily_snapshot.base-url}; in the environment
 * {@code BACKFILL_JOBS_API_DAILY_SNAPSHOT_BASE_URL}). A job reads its own when it is built.
 */
public final class JobSettings {

    private final Function<String, Optional<String>> byProperty;

    private JobSettings(Function<String, Optional<String>> byProperty) {
        this.byProperty = byProperty;
    }

    /** @param byJob each job's settings by setting name */
    public static JobSettings of(Map<String, ? extends Map<String, String>> byJob) {
        Map<String, String> byProperty = new TreeMap<>();
        byJob.forEach((job, settings) -> settings.forEach((setting, value) ->
                byProperty.put(property(job, setting), value)));
        return new JobSettings(property -> Optional.ofNullable(byProperty.get(property)));
    }

    /** Settings looked up by their full property name, {@code backfill.jobs.<job>.<setting>}. */
    public static JobSettings lookingUp(Function<String, Optional<String>> byProperty) {
        return new JobSettings(Objects.requireNonNull(byProperty, "byProperty"));
    }

    public static JobSettings none() {
        return of(Map.of());
    }

    /** A setting of {@code job}, if it is set (and not blank). */
    public Optional<String> text(String job, String setting) {
        return byProperty.apply(property(job, setting)).filter(value -> !value.isBlank());
    }

    /**
     * A setting {@code job} cannot do without.
     *
     * @throws IllegalStateException if it is not set
     */
    public String required(String job, String setting) {
        return text(job, setting).orElseThrow(() -> new IllegalStateException("Job " + job + " needs setting "
                + property(job, setting) + " (environment " + environment(job, setting) + ")"));
    }

    /**
     * A whole-number setting, or {@code fallback} when it is not set.
     *
     * @throws IllegalStateException if it is set but not a whole number
     */
    public int integer(String job, String setting, int fallback) {
        Optional<String> value = text(job, setting);
        try {
            return value.map(String::trim).map(Integer::parseInt).orElse(fallback);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Setting " + property(job, setting) + " must be a whole number: '"
                    + value.orElse("") + "'");
        }
    }

    /** The property that sets it, {@code backfill.jobs.<job>.<setting>}. */
    public static String property(String job, String setting) {
        return "backfill.jobs." + Objects.requireNonNull(job, "job") + "." + Objects.requireNonNull(setting, "setting");
    }

    /** The environment variable that sets it, {@code BACKFILL_JOBS_<JOB>_<SETTING>}. */
    public static String environment(String job, String setting) {
        return property(job, setting).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
