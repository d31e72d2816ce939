package dev.backfill.job;

import dev.backfill.InvalidRequestException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The jobs a deployment knows, by name. In the functions it holds every {@link WindowJob} bean; tests build it from a
 * list.
 */
public final class JobRegistry {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final Map<String, WindowJob> jobs;

    private JobRegistry(Map<String, WindowJob> jobs) {
        this.jobs = jobs;
    }

    /**
     * @throws IllegalArgumentException if two jobs share a name, naming both classes, or a name is malformed
     */
    public static JobRegistry of(Collection<? extends WindowJob> jobs) {
        return withSources(jobs.stream().map(job -> Map.entry(job, job.getClass().getName())).toList());
    }

    /**
     * The jobs, each with where it comes from (its bean class), named when two jobs share a name.
     *
     * @throws IllegalArgumentException if two jobs share a name, or a name is malformed
     */
    public static JobRegistry withSources(List<? extends Map.Entry<? extends WindowJob, String>> jobs) {
        Map<String, WindowJob> byName = new TreeMap<>();
        Map<String, String> sourceByName = new TreeMap<>();
        jobs.forEach(entry -> {
            WindowJob job = entry.getKey();
            String source = entry.getValue();
            String name = Objects.requireNonNull(job.name(), () -> source + " names no job: name() is null");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Job name '" + name + "' of " + source + " must match "
                        + NAME.pattern());
            }
            String taken = sourceByName.putIfAbsent(name, source);
            if (taken != null) {
                throw new IllegalArgumentException("Two jobs are named '" + name + "': " + taken + " and " + source
                        + "; job names must be unique");
            }
            byName.put(name, job);
        });
        return new JobRegistry(byName);
    }

    /** The names of every job, sorted. */
    public Set<String> names() {
        return jobs.keySet();
    }

    /** @throws InvalidRequestException if no job has that name */
    public WindowJob require(String name) {
        WindowJob job = name == null ? null : jobs.get(name);
        if (job == null) {
            throw new InvalidRequestException("Unknown job '" + InvalidRequestException.shown(name)
                    + "'; known jobs: " + jobs.keySet());
        }
        return job;
    }
}
