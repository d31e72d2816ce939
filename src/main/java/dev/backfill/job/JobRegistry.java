package dev.backfill.job;

import dev.backfill.InvalidRequestException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The jobs a deployment knows, by name. */
public final class JobRegistry {

    private final Map<String, WindowJob> jobs;

    private JobRegistry(Map<String, WindowJob> jobs) {
        this.jobs = jobs;
    }

    public static JobRegistry of(Collection<? extends WindowJob> jobs) {
        return new JobRegistry(jobs.stream().collect(
                Collectors.toMap(WindowJob::name, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("Two jobs are named " + a.name());
                }, TreeMap::new)));
    }

    /**
     * The job that writes {@code table}.
     *
     * @throws InvalidRequestException if no job writes it
     */
    public WindowJob requireTable(String table) {
        return jobs.values().stream().filter(job -> job.table().equals(table)).findFirst()
                .orElseThrow(() -> new InvalidRequestException("Unknown table '" + InvalidRequestException.shown(table)
                        + "'; known tables: " + jobs.values().stream().map(WindowJob::table).sorted().toList()));
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
