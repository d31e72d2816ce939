package dev.backfill.local.aws;

import dev.backfill.local.config.LocalNames;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ's SQS server bound to 127.0.0.1; queue URLs it returns name this host and port, queue ARNs the region
 * and account of {@link LocalNames}, as the rest of the local stack does.
 */
public final class EmbeddedSqs implements AutoCloseable {

    private final SQSRestServer server;
    private final int port;

    private EmbeddedSqs(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on {@code port} (0 for any free port) and returns once it serves. */
    public static EmbeddedSqs start(int port) throws IOException {
        int chosen = port != 0 ? port : freePort();
        SQSRestServer server = SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withPort(chosen)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", chosen, ""))
                .withAWSRegion(LocalNames.REGION)
                .withAWSAccountId(LocalNames.ACCOUNT)
                .start();
        server.waitUntilStarted();
        return new EmbeddedSqs(server, chosen);
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
