package dev.backfill.testing;

import dev.backfill.local.aws.EmbeddedS3;
import dev.backfill.local.aws.EmbeddedSqs;
import dev.backfill.local.aws.LocalResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Embedded S3Proxy and ElasticMQ on 127.0.0.1, started once per test JVM and shared by every test class; each test
 * makes its own bucket and queue so tests never see each other's objects or messages.
 */
public final class LocalServers {

    public static final Region REGION = Region.US_EAST_1;
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static LocalServers instance;

    private final EmbeddedS3 s3Server;
    private final EmbeddedSqs sqsServer;
    private final S3Client s3;
    private final SqsClient sqs;

    private LocalServers(EmbeddedS3 s3Server, EmbeddedSqs sqsServer) {
        this.s3Server = s3Server;
        this.sqsServer = sqsServer;
        this.s3 = LocalResources.s3Client(s3Server.endpoint());
        this.sqs = LocalResources.sqsClient(sqsServer.endpoint());
    }

    public static synchronized LocalServers get() {
        if (instance == null) {
            try {
                instance = new LocalServers(EmbeddedS3.start(0), EmbeddedSqs.start(0));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the embedded S3 and SQS servers", e);
            }
        }
        return instance;
    }

    public S3Client s3() {
        return s3;
    }

    /** Signs URLs for the embedded S3 with the test credentials. */
    public S3Presigner presigner() {
        return LocalResources.s3Presigner(s3Server.endpoint());
    }

    public SqsClient sqs() {
        return sqs;
    }

    public String s3Endpoint() {
        return s3Server.endpoint().toString();
    }

    public String sqsEndpoint() {
        return sqsServer.endpoint().toString();
    }

    /** A new bucket with versioning on. */
    public String newBucket(String hint) {
        String bucket = (hint + "-" + NAMES.incrementAndGet()).toLowerCase().replaceAll("[^a-z0-9-]", "-");
        LocalResources.createBucket(s3, bucket);
        return bucket;
    }

    /** A new queue with a short visibility timeout; returns its URL. */
    public String newQueue(String hint) {
        String name = hint.replaceAll("[^A-Za-z0-9-_]", "-") + "-" + NAMES.incrementAndGet();
        return sqs.createQueue(r -> r.queueName(name)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();
    }

    /** Receives every message now on the queue, deleting none; each stays invisible for the queue's timeout. */
    public List<Message> receiveAll(String queueUrl) {
        List<Message> all = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                    .waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                empty++;
            } else {
                all.addAll(batch);
            }
        }
        return all;
    }

    /**
     * Receives every message now on the queue and deletes each batch as it arrives, so no message can become visible
     * again however slow the drain is: a message seen twice was sent twice.
     */
    public List<Message> drain(String queueUrl) {
        List<Message> all = new ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0)).messages();
            if (batch.isEmpty()) {
                empty++;
                continue;
            }
            all.addAll(batch);
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(i))
                        .receiptHandle(batch.get(i).receiptHandle()).build());
            }
            List<?> failed = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(deletes)).failed();
            if (!failed.isEmpty()) {
                throw new IllegalStateException("Cannot delete drained messages from " + queueUrl + ": " + failed);
            }
        }
        return all;
    }

    /** Messages visible plus in flight, as the queue counts them. */
    public int depth(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
