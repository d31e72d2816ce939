package dev.backfill.local.aws;

import dev.backfill.local.config.LocalNames;
import java.net.URI;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * S3Proxy with its in-memory ({@code transient}) backend, which keeps object versions and honours conditional
 * writes, bound to 127.0.0.1. Requests must be signed with {@link LocalNames#ACCESS_KEY} /
 * {@link LocalNames#SECRET_KEY}.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private final S3Proxy proxy;

    private EmbeddedS3(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** Starts on {@code port} (0 for any free port) and returns once it serves. */
    public static EmbeddedS3 start(int port) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("transient", new Properties()))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalNames.ACCESS_KEY,
                        LocalNames.SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
            }
            Thread.onSpinWait();
        }
        return new EmbeddedS3(proxy);
    }

    public int port() {
        return proxy.getPort();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
