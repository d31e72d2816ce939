package dev.backfill.config;

import dev.backfill.action.ActionRouter;
import dev.backfill.action.DispatcherActions;
import dev.backfill.aws.S3ObjectStore;
import dev.backfill.aws.SecretsManagerSecrets;
import dev.backfill.aws.SqsWindowQueue;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.function.metrics.BackfillMetrics;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.JobSettings;
import dev.backfill.job.RateBudget;
import dev.backfill.job.Secrets;
import dev.backfill.job.SpacedRateBudget;
import dev.backfill.job.UpstreamMeter;
import dev.backfill.job.WindowJob;
import dev.backfill.example.api.HttpTransport;
import dev.backfill.ledger.RunLedger;
import dev.backfill.store.ObjectStore;
import dev.backfill.worker.Backoff;
import dev.backfill.worker.Deliveries;
import dev.backfill.worker.WindowWorker;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Wires the domain to AWS: one client of each kind, reused across invocations. Nothing here holds a unique value or
 * an open connection: producers run at start-up, which a SnapStart snapshot captures (and static state a native
 * build fixes at build time); {@code StartupStateTest} checks it.
 */
public class BackfillProducers {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @Named("nonces")
    Supplier<String> nonces() {
        return new SecureNonces();
    }

    @Produces
    @Singleton
    SqsClient sqsClient(BackfillConfig config) {
        SqsClientBuilder builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
        config.sqs().endpointOverride().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void closeSqs(@Disposes SqsClient sqs) {
        sqs.close();
    }

    /** Runs S3 and SQS requests in parallel: SendMessageBatch calls, listings, manifest reads. */
    @Produces
    @Singleton
    @Named("io")
    ExecutorService ioExecutor(BackfillConfig config) {
        return daemonPool(config.send().parallelism(), "backfill-io");
    }

    /** Runs chunks of a dispatch, each waiting on its batches in the io pool; never shared with it. */
    @Produces
    @Singleton
    @Named("dispatch")
    ExecutorService dispatchExecutor(BackfillConfig config) {
        return daemonPool(config.send().parallelism(), "backfill-dispatch");
    }

    void shutdown(@Disposes @Named("io") ExecutorService executor) {
        executor.shutdownNow();
    }

    void shutdownDispatch(@Disposes @Named("dispatch") ExecutorService executor) {
        executor.shutdownNow();
    }

    private static ExecutorService daemonPool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Produces
    @Singleton
    ObjectStore objectStore(S3Client s3, S3Presigner presigner, BackfillConfig config) {
        return new S3ObjectStore(s3, presigner, config.bucket());
    }

    @Produces
    @Singleton
    WindowQueue windowQueue(SqsClient sqs, BackfillConfig config, @Named("io") ExecutorService executor) {
        return new SqsWindowQueue(sqs, config.queueUrl(), config.dlqUrl(), executor, config.send().maxAttempts());
    }

    /**
     * Every {@link WindowJob} bean, found at build time: a job is added by writing an {@code @ApplicationScoped} class,
     * never by editing a list. This {@code Instance} injection point is what keeps job beans from being removed as
     * unused (nothing else injects them), in JVM and native builds alike.
     *
     * @throws IllegalArgumentException at start-up if two jobs share a name, naming both bean classes
     */
    @Produces
    @Singleton
    JobRegistry jobs(@Any Instance<WindowJob> jobs) {
        List<Map.Entry<WindowJob, String>> found = new ArrayList<>();
        for (Instance.Handle<WindowJob> handle : jobs.handles()) {
            found.add(Map.entry(handle.get(), handle.getBean().getBeanClass().getName()));
        }
        return JobRegistry.withSources(found);
    }

    /**
     * Each job's settings, {@code backfill.jobs.<job>.<setting>}: looked up by full name, which also finds an
     * environment variable such as {@code BACKFILL_JOBS_API_DAILY_SNAPSHOT_BASE_URL}, then in the mapped property map.
     */
    @Produces
    @Singleton
    JobSettings jobSettings(JobsConfig jobs, SmallRyeConfig config) {
        return JobSettings.lookingUp(property -> config.getOptionalValue(property, String.class)
                .or(() -> mapped(jobs, property)));
    }

    private static Optional<String> mapped(JobsConfig jobs, String property) {
        return jobs.byJob().entrySet().stream()
                .flatMap(job -> job.getValue().entrySet().stream()
                        .filter(setting -> JobSettings.property(job.getKey(), setting.getKey()).equals(property)))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** HTTP for jobs that read an API: the JDK's client, made on the first request. */
    @Produces
    @Singleton
    HttpTransport httpTransport() {
        return HttpTransport.jdk();
    }

    /** Secrets jobs read at run time (an API key): Secrets Manager, its client made on the first read. */
    @Produces
    @Singleton
    Secrets secrets() {
        return new SecretsManagerSecrets(() -> SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build());
    }

    @Produces
    @Singleton
    RunLedger ledger(ObjectStore store) {
        return new RunLedger(store);
    }

    /** The upstream budget of one process: R / C, as one of the C workers; metered for the window's metrics. */
    @Produces
    @Singleton
    RateBudget budget(BackfillConfig config, UpstreamMeter upstream) {
        return upstream.metering(SpacedRateBudget.shareOf(config.upstream().requestsPerSecond(),
                config.upstream().maxConcurrency(), SpacedRateBudget.Ticker.system()));
    }

    @Produces
    @Singleton
    ActionRouter router(JobRegistry jobs, ObjectStore store, WindowQueue queue, Clock clock, RateBudget budget,
                        @Named("nonces") Supplier<String> nonces, @Named("io") ExecutorService io,
                        @Named("dispatch") ExecutorService dispatch, BackfillConfig config) {
        return DispatcherActions.router(jobs, store, queue, clock, budget, nonces, io, dispatch,
                new DispatcherActions.Settings(config.zone(), config.maxWindows(), config.codeVersion(),
                        config.schedule().job(), config.schedule().maxCatchUpDays(),
                        new Estimator.Settings(config.upstream().maxConcurrency(),
                                config.upstream().requestsPerSecond(), config.worker().timeout(),
                                config.worker().memoryMb()),
                        new DispatcherActions.TimeTravel(config.noncurrentVersionRetentionDays(),
                                config.timeTravel().readRowLimit(), config.timeTravel().urlTtl())));
    }

    @Produces
    @Singleton
    UpstreamMeter upstreamMeter() {
        return new UpstreamMeter();
    }

    @Produces
    @Singleton
    BackfillMetrics metrics(BackfillConfig config, Clock clock) {
        // Each document is a log event of its own, printed on standard output by the EMF library, never through the
        // JSON log formatter; see BackfillMetrics.emf() for why its environment is pinned.
        return new BackfillMetrics(config.metrics().namespace(), clock, BackfillMetrics.emf());
    }

    @Produces
    @Singleton
    WindowWorker worker(JobRegistry jobs, ObjectStore store, RunLedger ledger, Clock clock, RateBudget budget,
                        @Named("nonces") Supplier<String> nonces, BackfillConfig config) {
        // One budget per process: a function instance runs one window at a time, so C instances spend at most R.
        return new WindowWorker(jobs, store, ledger, () -> budget, clock, nonces, config.codeVersion());
    }

    @Produces
    @Singleton
    Backoff backoff(BackfillConfig config) {
        return new Backoff(config.retry().baseDelay(), config.retry().maxDelay());
    }

    @Produces
    @Singleton
    Deliveries deliveries(BackfillConfig config) {
        return new Deliveries(config.retry().maxReceiveCount());
    }
}
