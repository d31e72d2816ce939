package dev.backfill.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backfill.local.config.LocalNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3Proxy answers a conditional PUT's 412 before it reads the body; unless {@link EmbeddedS3} makes it read the body
 * first, its Jetty then drops the connection the JDK's client has kept, and the next PUT on it fails to write its body
 * (89 of 1,000 requests failed so before the fix). Each request gets one attempt here, so no SDK retry hides it.
 */
class EmbeddedS3Test {

    private static final int ROUNDS = 200;

    @Test
    void rejectedConditionalPuts_leaveNoDeadConnectionForTheNextRequest() throws Exception {
        try (EmbeddedS3 server = EmbeddedS3.start(0); S3Client s3 = oneAttemptClient(server)) {
            LocalResources.createBucket(s3, "rejections");
            s3.putObject(r -> r.bucket("rejections").key("manifest"), RequestBody.fromString("v1"));
            List<String> transportFailures = new ArrayList<>();
            int rejected = 0;
            for (int round = 0; round < ROUNDS; round++) {
                try {
                    s3.putObject(r -> r.bucket("rejections").key("manifest").ifMatch("\"not-its-etag\""),
                            RequestBody.fromString("v2"));
                } catch (S3Exception e) {
                    assertEquals(412, e.statusCode(), "a mismatching If-Match is refused with 412");
                    rejected++;
                } catch (SdkClientException e) {
                    transportFailures.add("round " + round + ", the conditional PUT: " + e.getMessage());
                }
                int part = round;
                try {
                    s3.putObject(r -> r.bucket("rejections").key("part-" + part), RequestBody.fromBytes(new byte[] {1}));
                } catch (SdkClientException e) {
                    transportFailures.add("round " + round + ", the PUT after it: " + e.getMessage());
                }
            }
            assertTrue(transportFailures.isEmpty(), () -> transportFailures.size() + " of " + 2 * ROUNDS
                    + " requests failed in transport; the first: " + transportFailures.get(0));
            assertEquals(ROUNDS, rejected, "every conditional PUT was refused");
        }
    }

    private static S3Client oneAttemptClient(EmbeddedS3 server) {
        return S3Client.builder().endpointOverride(server.endpoint()).region(Region.of(LocalNames.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalNames.ACCESS_KEY, LocalNames.SECRET_KEY)))
                .forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build();
    }
}
