package dev.backfill.chaos;

import dev.backfill.aws.S3ObjectStore;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.local.config.LocalNames;
import dev.backfill.testing.FaultyHttpClient;
import dev.backfill.testing.LocalServers;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * R5: throttling at the HTTP layer, under the real SDK clients with their default retries: S3 answers {@code 503
 * SlowDown} to a share of every request, SQS answers throttling to a (larger: a run has few) share of the sends
 * (the dispatcher's SendMessageBatch, the worker's dead-letter SendMessage). The SDK retries what it can; what still
 * fails is the port's ThrottledException, and the window is delivered again. Everything must commit; nothing may be
 * lost.
 */
final class Throttling {

    static final String NAME = "R5 throttling";

    private Throttling() {
    }

    static ChaosFigure run(LocalDate first, int days, double share, double sendShare, long seed) {
        LocalServers servers = LocalServers.get();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalNames.ACCESS_KEY, LocalNames.SECRET_KEY));
        FaultyHttpClient s3Http = new FaultyHttpClient(UrlConnectionHttpClient.create(), FaultyHttpClient.any(),
                share, FaultyHttpClient.S3_SLOW_DOWN, seed);
        FaultyHttpClient sqsHttp = new FaultyHttpClient(UrlConnectionHttpClient.create(),
                FaultyHttpClient.sqsAction("SendMessageBatch").or(FaultyHttpClient.sqsAction("SendMessage")), sendShare,
                FaultyHttpClient.SQS_THROTTLED, seed + 1);
        List<LocalDate> labels = first.datesUntil(first.plusDays(days)).toList();
        Map<String, byte[]> expected = PartitionAudit.reference(labels);
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(servers.s3Endpoint()))
                .region(Region.of(LocalNames.REGION)).credentialsProvider(credentials).forcePathStyle(true)
                .httpClient(s3Http).build();
             SqsClient sqs = SqsClient.builder().endpointOverride(URI.create(servers.sqsEndpoint()))
                     .region(Region.of(LocalNames.REGION)).credentialsProvider(credentials).httpClient(sqsHttp)
                     .build();
             ChaosRig rig = ChaosRig.through("throttle", bucket -> new S3ObjectStore(s3, bucket), sqs, seed)) {
            DemoEventGenerator.standard().writeDays(rig.plainStore(), first, first.plusDays(days));
            long s3Before = s3Http.requests();
            Map<String, Object> run = rig.dispatch(first.toString(), first.plusDays(days).toString());
            rig.startWorkers(4);
            rig.awaitDrained(Duration.ofMinutes(3));

            PartitionAudit.Result audit = PartitionAudit.audit(rig.plainStore(), expected);
            Map<?, ?> counts = (Map<?, ?>) Status.of(rig, (String) run.get("runId")).get("counts");
            long succeeded = ((Number) counts.get("succeeded")).longValue();
            long redeliveries = rig.worker().invocations() - days;
            int deadLettered = rig.depth().deadLettered();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("windows", days);
            values.put("enqueued", run.get("enqueued"));
            values.put("s3Requests", s3Http.requests() - s3Before);
            values.put("s3SlowDowns", s3Http.injected());
            values.put("sqsSendShare", sendShare);
            values.put("sqsSends", sqsHttp.requests());
            values.put("sqsThrottled", sqsHttp.injected());
            values.put("windowRedeliveries", redeliveries);
            values.put("succeeded", succeeded);
            values.put("deadLettered", deadLettered);
            values.put("orphans", audit.orphans());
            return new ChaosFigure(NAME, String.format("%.0f %% of %,d S3 requests answered 503 SlowDown (%,d), "
                            + "%.0f %% of %d SQS sends throttled (%d)", share * 100, s3Http.requests(),
                            s3Http.injected(), sendShare * 100, sqsHttp.requests(), sqsHttp.injected()),
                    String.format("%s/%d enqueued, %d/%d succeeded, byte-identical: %d; retried by the SDK, and %d "
                            + "window redeliveries; DLQ %d", run.get("enqueued"), days, succeeded, days,
                            days - audit.lost() - audit.differing(), redeliveries, deadLettered),
                    audit.lost() + audit.differing(), audit.duplicateRows(), 0, audit.orphans(),
                    succeeded == days && deadLettered == 0 && ((Number) run.get("enqueued")).intValue() == days,
                    values);
        }
    }
}
