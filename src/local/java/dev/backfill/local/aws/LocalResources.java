package dev.backfill.local.aws;

import dev.backfill.Json;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.local.config.LocalNames;
import dev.backfill.store.ObjectStore;
import dev.backfill.window.WindowRange;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates what {@code infra/} creates on AWS, on the embedded servers: the versioned bucket and the two queues; and
 * loads the demo input.
 */
public final class LocalResources {

    /** Deliveries before a message moves to the DLQ (the queue's RedrivePolicy). */
    public static final int MAX_RECEIVE_COUNT = 3;
    /** 14 days, the maximum, as on AWS: a long backfill must not lose its last windows. */
    private static final String RETENTION_SECONDS = "1209600";
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalNames.ACCESS_KEY, LocalNames.SECRET_KEY));

    /** The work queue and its dead-letter queue. */
    public record Queues(String workUrl, String workArn, String deadLetterUrl, String deadLetterArn) {
    }

    private LocalResources() {
    }

    /** An S3 client for the embedded S3: path-style, credentials test/test, region us-east-1. */
    public static S3Client s3Client(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(LocalNames.REGION))
                .credentialsProvider(CREDENTIALS).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** A presigner for the embedded S3, signing as {@link #s3Client} does. */
    public static S3Presigner s3Presigner(URI endpoint) {
        return S3Presigner.builder().endpointOverride(endpoint).region(Region.of(LocalNames.REGION))
                .credentialsProvider(CREDENTIALS)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
    }

    public static SqsClient sqsClient(URI endpoint) {
        return sqsClient(endpoint, List.of());
    }

    /** A client whose requests and responses {@code interceptors} also see (tests record what was sent, and when). */
    public static SqsClient sqsClient(URI endpoint, List<ExecutionInterceptor> interceptors) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.of(LocalNames.REGION))
                .credentialsProvider(CREDENTIALS).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.executionInterceptors(interceptors)).build();
    }

    /** A bucket with versioning enabled: each manifest version is a snapshot, which time travel reads. */
    public static void createBucket(S3Client s3, String bucket) {
        s3.createBucket(r -> r.bucket(bucket));
        s3.putBucketVersioning(r -> r.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }

    /** The work queue, redriving to the DLQ after {@value #MAX_RECEIVE_COUNT} receives. */
    public static Queues createQueues(SqsClient sqs, String workName, String deadLetterName,
                                      Duration visibilityTimeout) {
        String deadLetterUrl = sqs.createQueue(r -> r.queueName(deadLetterName)
                .attributes(Map.of(QueueAttributeName.MESSAGE_RETENTION_PERIOD, RETENTION_SECONDS))).queueUrl();
        String deadLetterArn = arnOf(sqs, deadLetterUrl);
        String redrive = Json.writeString(Map.<String, Object>of("deadLetterTargetArn", deadLetterArn,
                "maxReceiveCount", MAX_RECEIVE_COUNT));
        String workUrl = sqs.createQueue(r -> r.queueName(workName).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibilityTimeout.toSeconds()),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, RETENTION_SECONDS,
                QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
        return new Queues(workUrl, arnOf(sqs, workUrl), deadLetterUrl, deadLetterArn);
    }

    private static String arnOf(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Messages waiting, in flight and in the DLQ, for the progress line. */
    public record QueueDepth(int visible, int inFlight, int deadLettered) {
    }

    public static QueueDepth depth(SqsClient sqs, Queues queues) {
        Map<QueueAttributeName, String> work = sqs.getQueueAttributes(r -> r.queueUrl(queues.workUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        Map<QueueAttributeName, String> dead = sqs.getQueueAttributes(r -> r.queueUrl(queues.deadLetterUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes();
        return new QueueDepth(Integer.parseInt(work.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)),
                Integer.parseInt(work.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
                Integer.parseInt(dead.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)));
    }

    /** Writes the demo input, a month per task: the PUTs, not the generator, take most of the time. */
    public static int seed(ObjectStore store, WindowRange days) {
        DemoEventGenerator generator = DemoEventGenerator.standard();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Integer>> months = new ArrayList<>();
            for (LocalDate from = days.start(); from.isBefore(days.end()); ) {
                LocalDate start = from;
                LocalDate end = Collections.min(List.of(from.withDayOfMonth(1).plusMonths(1), days.end()));
                months.add(CompletableFuture.supplyAsync(() -> generator.writeDays(store, start, end), pool));
                from = end;
            }
            return months.stream().mapToInt(CompletableFuture::join).sum();
        } finally {
            pool.shutdown();
        }
    }
}
