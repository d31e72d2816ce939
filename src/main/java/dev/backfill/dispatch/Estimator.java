package dev.backfill.dispatch;

import dev.backfill.dispatch.UpstreamProbe.Found;
import dev.backfill.job.SpacedRateBudget;
import dev.backfill.ledger.RunIndex;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowEvent;
import dev.backfill.ledger.WindowState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backfill would cost before it runs: upstream and S3 requests, the makespan at the configured concurrency
 * from the job's recent window durations in the ledger, Lambda GB-seconds, and warnings about windows that would
 * fail or could not finish in time.
 */
public final class Estimator {

    /**
     * S3 requests a worker makes per window of one part besides reading its input: the cancel check, two ledger steps
     * (running, then the outcome), the manifest read, the part's staged upload and its server-side copy, the manifest
     * write, the partition listing and one DeleteObjects of the replaced and staged objects.
     */
    public static final int S3_REQUESTS_PER_WINDOW = 9;
    /** Recent runs whose committed windows give the typical window duration. */
    static final int HISTORY_RUNS = 5;

    private final RunIndex index;
    private final RunLedger ledger;
    private final Settings settings;

    /**
     * @param concurrency       C, windows in flight at once (the event source mapping's MaximumConcurrency)
     * @param requestsPerSecond R, the upstream budget over all workers; 0 for none
     * @param workerTimeout     the worker function's timeout
     * @param memoryMb          the worker function's memory, for GB-seconds
     */
    public record Settings(int concurrency, double requestsPerSecond, Duration workerTimeout, int memoryMb) {
        public Settings {
            Objects.requireNonNull(workerTimeout, "workerTimeout");
            if (concurrency < 1 || memoryMb < 1) {
                throw new IllegalArgumentException("concurrency and memoryMb must be positive: " + concurrency
                        + ", " + memoryMb);
            }
        }
    }

    public Estimator(RunIndex index, RunLedger ledger, Settings settings) {
        this.index = Objects.requireNonNull(index, "index");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @param windowDuration typical (median) window duration from history, or "unknown"
     * @param makespan       time to run every window at the concurrency, or "unknown"
     * @param basis          what the duration is taken from
     * @param lambdaGbSeconds worker GB-seconds, null when the duration is unknown
     */
    public record Estimate(int windows, long upstreamRequests, long s3Requests, int concurrency,
                           double upstreamRequestsPerSecond, String windowDuration, String makespan, String basis,
                           Double lambdaGbSeconds, long lambdaRequests) {
    }

    public Estimate estimate(String job, List<Found> probes) {
        int windows = probes.size();
        long upstream = probes.stream().mapToLong(found -> found.pages() + found.objects()).sum();
        Optional<Duration> typical = typicalDuration(job);
        String basis = typical.isPresent() ? "median committed window of the job's last " + HISTORY_RUNS + " runs"
                : "no committed window of this job in the ledger yet";
        Optional<Duration> perWindow = typical.map(duration -> max(duration, budgetTime(maxRequests(probes))));
        Optional<Duration> makespan = perWindow.map(duration -> duration.multipliedBy(
                (windows + settings.concurrency() - 1) / settings.concurrency()));
        Double gbSeconds = perWindow.map(duration -> Math.round(duration.toMillis() / 1000.0 * windows
                * settings.memoryMb() / 1024.0 * 10) / 10.0).orElse(null);
        return new Estimate(windows, upstream, (long) windows * S3_REQUESTS_PER_WINDOW, settings.concurrency(),
                settings.requestsPerSecond(), perWindow.map(Duration::toString).orElse("unknown"),
                makespan.map(Duration::toString).orElse("unknown"), basis, gbSeconds, windows);
    }

    /** What would go wrong: windows without input, windows the rate budget cannot finish within the timeout. */
    public List<String> warnings(List<Found> probes) {
        List<String> warnings = new ArrayList<>();
        List<String> missing = probes.stream().filter(Found::missing).map(Found::label).toList();
        if (!missing.isEmpty()) {
            warnings.add(missing.size() + " of " + probes.size() + " windows have no input and would fail: "
                    + String.join(", ", missing.subList(0, Math.min(10, missing.size())))
                    + (missing.size() > 10 ? ", …" : ""));
        }
        if (probes.stream().anyMatch(found -> !found.declared())) {
            warnings.add("the job declares no inputs: the upstream was not probed");
        }
        long worst = maxRequests(probes);
        Duration needed = budgetTime(worst);
        if (needed.compareTo(settings.workerTimeout()) > 0) {
            warnings.add("a window needs up to " + worst + " upstream requests: at R/C = "
                    + SpacedRateBudget.perWorker(settings.requestsPerSecond(), settings.concurrency())
                    + " requests/s that takes " + needed
                    + ", over the worker timeout of " + settings.workerTimeout());
        }
        return warnings;
    }

    private static long maxRequests(List<Found> probes) {
        return probes.stream().mapToLong(found -> found.pages() + found.objects()).max().orElse(0);
    }

    /** The time a window's requests take at its share R / C of the budget; zero without a budget. */
    private Duration budgetTime(long requests) {
        if (settings.requestsPerSecond() <= 0) {
            return Duration.ZERO;
        }
        double share = SpacedRateBudget.perWorker(settings.requestsPerSecond(), settings.concurrency());
        return Duration.ofMillis((long) Math.ceil(requests / share * 1000));
    }

    private Optional<Duration> typicalDuration(String job) {
        List<Long> durations = index.latest(Optional.of(job), HISTORY_RUNS).stream()
                .flatMap(runId -> ledger.events(runId).stream())
                .filter(event -> event.state() == WindowState.SUCCEEDED && event.durationMillis() != null)
                .map(WindowEvent::durationMillis)
                .sorted()
                .toList();
        return durations.isEmpty() ? Optional.empty()
                : Optional.of(Duration.ofMillis(durations.get(durations.size() / 2)));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
