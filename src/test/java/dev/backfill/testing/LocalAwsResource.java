package dev.backfill.testing;

import io.quarkus.test.common.DevServicesContext;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Points the functions under test at the embedded S3Proxy and ElasticMQ: a fresh versioned bucket and a fresh queue
 * per Quarkus start. The same settings reach the packaged artifact in {@code @QuarkusIntegrationTest}s.
 */
public class LocalAwsResource implements QuarkusTestResourceLifecycleManager, DevServicesContext.ContextAware {

    /** Where Quarkus' Lambda event server (a dev service in tests) serves, as {@code host:port/_lambda_}. */
    private static final String TEST_API = "quarkus-internal.aws-lambda.test-api";

    private static volatile String bucket;
    private static volatile String queueUrl;
    private static volatile String dlqUrl;
    private static volatile String eventServer;

    /** The URL that invokes the function under test: POST an event, get its response. */
    public static String eventServerUrl() {
        String api = eventServer != null ? eventServer
                : ConfigProvider.getConfig().getOptionalValue(TEST_API, String.class).orElseThrow(
                        () -> new IllegalStateException("The Lambda event server's address is unknown"));
        return "http://" + api;
    }

    @Override
    public void setIntegrationTestContext(DevServicesContext context) {
        eventServer = context.devServicesProperties().get(TEST_API);
    }

    public static String bucket() {
        return bucket;
    }

    public static String queueUrl() {
        return queueUrl;
    }

    public static String dlqUrl() {
        return dlqUrl;
    }

    @Override
    public Map<String, String> start() {
        LocalServers servers = LocalServers.get();
        bucket = servers.newBucket("handler");
        queueUrl = servers.newQueue("handler");
        dlqUrl = servers.newQueue("handler-dlq");
        // The SQS client takes region and credentials from the SDK's default chain, which reads these.
        System.setProperty("aws.region", LocalServers.REGION.id());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        return Map.ofEntries(
                Map.entry("backfill.bucket", bucket),
                Map.entry("backfill.queue-url", queueUrl),
                Map.entry("backfill.dlq-url", dlqUrl),
                Map.entry("backfill.sqs.endpoint-override", servers.sqsEndpoint()),
                Map.entry("backfill.retry.base-delay", "1s"),
                Map.entry("quarkus.s3.endpoint-override", servers.s3Endpoint()),
                Map.entry("quarkus.s3.path-style-access", "true"),
                Map.entry("quarkus.s3.aws.region", LocalServers.REGION.id()),
                Map.entry("quarkus.s3.aws.credentials.type", "static"),
                Map.entry("quarkus.s3.aws.credentials.static-provider.access-key-id", "test"),
                Map.entry("quarkus.s3.aws.credentials.static-provider.secret-access-key", "test"),
                Map.entry("aws.region", LocalServers.REGION.id()),
                Map.entry("aws.accessKeyId", "test"),
                Map.entry("aws.secretAccessKey", "test"));
    }

    @Override
    public void stop() {
        // The embedded servers live for the whole test JVM; each start gets its own bucket and queue.
    }
}
