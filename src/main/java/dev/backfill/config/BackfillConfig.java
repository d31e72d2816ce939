package dev.backfill.config;

import dev.backfill.function.metrics.BackfillMetrics;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Everything a deployment sets, under {@code backfill.*} (environment: {@code BACKFILL_*}, e.g.
 * {@code BACKFILL_BUCKET}, {@code BACKFILL_QUEUE_URL}).
 */
@ConfigMapping(prefix = "backfill")
public interface BackfillConfig {

    /** The data bucket: tables, raw input and the run ledger. Versioning on, for time travel. */
    String bucket();

    /** URL of the work queue the dispatcher sends to and the worker's event source mapping reads. */
    String queueUrl();

    /** URL of the work queue's dead-letter queue, which the {@code redrive} action empties. */
    Optional<String> dlqUrl();

    /** The zone whose calendar days are the windows; also the schedule's zone for the logical day. */
    @WithDefault("UTC")
    ZoneId zone();

    /** The most windows one request may ask for; 3,660 is ten years of days. */
    @WithDefault("3660")
    int maxWindows();

    /** The version of the code, recorded in every manifest and run. */
    @WithDefault("${quarkus.application.version:dev}")
    String codeVersion();

    /**
     * Days the bucket keeps a replaced object version (the lifecycle rule's {@code NoncurrentVersionRetentionDays}):
     * how far back {@code inputsAsOf} may read inputs, and {@code read}, {@code diff} and {@code report} the tables.
     */
    @WithDefault("90")
    int noncurrentVersionRetentionDays();

    Schedule schedule();

    Send send();

    Retry retry();

    Sqs sqs();

    Upstream upstream();

    Metrics metrics();

    Worker worker();

    TimeTravel timeTravel();

    interface TimeTravel {
        /** The most rows {@code read} answers inline; a larger read answers its part objects with signed URLs. */
        @WithDefault("10000")
        int readRowLimit();

        /** How long the signed GET URLs of {@code read} and {@code report} are valid (at most 7 days). */
        @WithDefault("1h")
        Duration urlTtl();
    }

    interface Worker {
        /** The worker function's timeout (the template's WorkerTimeoutSeconds): plan warns about longer windows. */
        @WithDefault("300s")
        Duration timeout();

        /** The worker function's memory in MB (the template's MemorySize), for plan's GB-seconds. */
        @WithDefault("1024")
        int memoryMb();

        /**
         * Time kept back from the invocation's remaining time for committing and recording a window: a job that
         * would still be waiting (rate budget, Retry-After) past Lambda's deadline minus this gives its window back.
         */
        @WithDefault("15s")
        Duration commitReserve();
    }

    interface Schedule {
        /** The job the EventBridge schedule runs for the logical day. */
        @WithDefault("daily_event_counts")
        String job();

        /** The most days one firing dispatches to catch up after its watermark; a longer gap is refused loudly. */
        @WithDefault("7")
        int maxCatchUpDays();
    }

    interface Send {
        /** SendMessageBatch requests in flight at once; each carries at most 10 messages. */
        @WithDefault("8")
        int parallelism();

        /** Attempts per batch entry SQS failed without blaming the sender. */
        @WithDefault("3")
        int maxAttempts();
    }

    interface Retry {
        /** Visibility delay after a window's first retryable failure; it doubles per delivery. */
        @WithDefault("10s")
        Duration baseDelay();

        /** Longest back-off; SQS caps visibility at 12 hours. */
        @WithDefault("15m")
        Duration maxDelay();

        /**
         * The work queue's {@code maxReceiveCount} (its redrive policy): a committed window whose cleanup failed asks
         * for another delivery to finish it only while one is left, never sending a committed window to the DLQ.
         */
        @WithDefault("5")
        int maxReceiveCount();
    }

    interface Upstream {
        /** The upstream's global budget R in requests per second, over all workers; 0 means unlimited. */
        @WithDefault("0")
        double requestsPerSecond();

        /**
         * Workers that may run at once, C (the mapping's MaximumConcurrency); each takes R / C, rounded down to whole
         * requests per second (below one, R / C as it is: R holds on average, not in every second).
         */
        @WithDefault("5")
        int maxConcurrency();
    }

    interface Metrics {
        /**
         * The CloudWatch namespace of the EMF metrics (1-255 of A-Z a-z 0-9 . - _ / # :, not AWS/); the template sets
         * {@code Backfill/<stack>} so that two stacks of one account keep their metrics apart.
         */
        @WithDefault(BackfillMetrics.DEFAULT_NAMESPACE)
        String namespace();
    }

    interface Sqs {
        /** An SQS endpoint other than AWS's, such as the local stack's; AWS_ENDPOINT_URL_SQS also works. */
        Optional<URI> endpointOverride();
    }
}
