package dev.backfill.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** ElasticMQ on a port picked at bind time still hands out queue URLs that reach it. */
class EmbeddedSqsTest {

    @Test
    void portZeroBindsAFreePortAndQueueUrlsNameIt() {
        try (EmbeddedSqs server = EmbeddedSqs.start(0); SqsClient sqs = LocalResources.sqsClient(server.endpoint())) {
            assertNotEquals(0, server.port(), "the port must be read back from the binding");
            assertEquals(server.port(), server.endpoint().getPort());

            String url = sqs.createQueue(r -> r.queueName("bound-port")).queueUrl();
            URI queue = URI.create(url);
            assertEquals("127.0.0.1", queue.getHost(), "queue URL " + url);
            assertEquals(server.port(), queue.getPort(), "queue URL " + url + " must name the bound port");
            assertEquals(url, sqs.getQueueUrl(r -> r.queueName("bound-port")).queueUrl());
            assertTrue(sqs.listQueues().queueUrls().contains(url), "listQueues names the same URL");

            sqs.sendMessage(r -> r.queueUrl(url).messageBody("hello"));
            List<Message> received = sqs.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages();
            assertEquals(List.of("hello"), received.stream().map(Message::body).toList(),
                    "a message sent to the returned URL comes back from it");
        }
    }

    @Test
    void twoServersOnPortZeroGetDifferentPorts() {
        try (EmbeddedSqs a = EmbeddedSqs.start(0); EmbeddedSqs b = EmbeddedSqs.start(0)) {
            assertNotEquals(a.port(), b.port());
        }
    }
}
