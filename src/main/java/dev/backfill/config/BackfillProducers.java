package dev.backfill.config;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.aws.SqsWindowQueue;
import dev.backfill.dispatch.DispatchPlanner;
import dev.backfill.dispatch.Dispatcher;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.job.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.job.SpacedRateBudget;
import dev.backfill.ledger.RunLedger;
import dev.backfill.store.ObjectStore;
import dev.backfill.worker.Backoff;
import dev.backfill.worker.WindowWorker;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
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

    @Produces
    @Singleton
    @Named("io")
    ExecutorService ioExecutor(BackfillConfig config) {
        return Executors.newFixedThreadPool(config.send().parallelism(), runnable -> {
            Thread thread = new Thread(runnable, "backfill-io");
            thread.setDaemon(true);
            return thread;
        });
    }

    void shutdown(@Disposes @Named("io") ExecutorService executor) {
        executor.shutdownNow();
    }

    @Produces
    @Singleton
    ObjectStore objectStore(S3Client s3, BackfillConfig config) {
        return new S3ObjectStore(s3, config.bucket());
    }

    @Produces
    @Singleton
    WindowQueue windowQueue(SqsClient sqs, BackfillConfig config, @Named("io") ExecutorService executor) {
        return new SqsWindowQueue(sqs, config.queueUrl(), executor, config.send().maxAttempts());
    }

    @Produces
    @Singleton
    JobRegistry jobs(BackfillConfig config) {
        return JobRegistry.of(List.of(new DailyEventCounts(config.jobs().dailyEventCountsLogic())));
    }

    @Produces
    @Singleton
    RunLedger ledger(ObjectStore store, @Named("io") ExecutorService executor) {
        return new RunLedger(store, executor);
    }

    @Produces
    @Singleton
    Dispatcher dispatcher(JobRegistry jobs, RunLedger ledger, WindowQueue queue, Clock clock,
                          @Named("nonces") Supplier<String> nonces, BackfillConfig config) {
        DispatchPlanner planner = new DispatchPlanner(jobs, new DispatchPlanner.Settings(config.zone(),
                config.maxWindows(), config.schedule().job(), config.codeVersion()), clock, nonces);
        return new Dispatcher(planner, ledger, queue, clock);
    }

    @Produces
    @Singleton
    WindowWorker worker(JobRegistry jobs, ObjectStore store, RunLedger ledger, Clock clock,
                        @Named("nonces") Supplier<String> nonces, BackfillConfig config) {
        // One budget per process: a function instance runs one window at a time, so C instances spend at most R.
        RateBudget budget = SpacedRateBudget.shareOf(config.upstream().requestsPerSecond(),
                config.upstream().maxConcurrency(), SpacedRateBudget.Ticker.system());
        return new WindowWorker(jobs, store, ledger, () -> budget, clock, nonces, config.codeVersion());
    }

    @Produces
    @Singleton
    Backoff backoff(BackfillConfig config) {
        return new Backoff(config.retry().baseDelay(), config.retry().maxDelay());
    }
}
