package dev.backfill.local.aws;

import dev.backfill.local.config.LocalNames;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * ElasticMQ's SQS server bound to 127.0.0.1; queue URLs it returns name this host and port, queue ARNs the region
 * and account of {@link LocalNames}, as the rest of the local stack does.
 *
 * <p>Port 0 is bound as 0: the operating system picks the port when ElasticMQ binds, and the port is read back from
 * the binding, so no other process can take it between choosing and binding. Queue URLs then cannot be fixed at
 * build time; the server address is ElasticMQ's wildcard host ({@code "*"}), with which every queue URL is made from
 * the scheme, host and port of the request that asks for it, i.e. the address the client reached the server on.
 * (ElasticMQ's own port-0 support patches its generated address in a callback that may run after
 * {@code waitUntilStarted} returns, so an early request could be answered with port 0.)
 */
public final class EmbeddedSqs implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final SQSRestServer server;
    private final int port;

    private EmbeddedSqs(SQSRestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on {@code port} (0 for a port the operating system picks at bind time) and returns once it serves. */
    public static EmbeddedSqs start(int port) {
        // Pekko loads the classes its configuration names (its logging filter) through the thread's context class
        // loader. Started from a pool thread whose context loader is another than the one that loaded Pekko (a test
        // JVM after Quarkus tests, on JDK 25), it finds a second copy of them and fails: use Pekko's own loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(SQSRestServerBuilder.class.getClassLoader());
        try {
            SQSRestServer server = SQSRestServerBuilder
                    .withInterface(HOST)
                    .withPort(port)
                    .withServerAddress(port == 0
                            ? new NodeAddress("http", "*", 0, "")
                            : new NodeAddress("http", HOST, port, ""))
                    .withAWSRegion(LocalNames.REGION)
                    .withAWSAccountId(LocalNames.ACCOUNT)
                    .start();
            int bound = server.waitUntilStarted().localAddress().getPort();
            return new EmbeddedSqs(server, bound);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://" + HOST + ":" + port);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
