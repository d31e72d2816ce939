package dev.backfill.local.aws;

import dev.backfill.local.config.LocalNames;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.shaded.org.eclipse.jetty.io.Content;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/**
 * S3Proxy with its in-memory ({@code transient}) backend, which keeps object versions and honours conditional
 * writes, bound to 127.0.0.1. Requests must be signed with {@link LocalNames#ACCESS_KEY} /
 * {@link LocalNames#SECRET_KEY}.
 *
 * <p>S3Proxy reads a request's whole body before it answers. Unwrapped, it answers some requests before reading their
 * bodies (a conditional PUT's 412, a PUT to a missing bucket's 404); its Jetty then closes the connection if the body
 * arrives late, without having said so in the answer, and the JDK's HTTP client keeps the dead connection for its
 * next request. A streamed PUT on it fails with "Error writing request body to server", which HttpURLConnection never
 * retries, and the SDK's retries can draw further dead connections from the same cache: about one conditional PUT in
 * 500 left one behind here, and a test failed now and then when four attempts in a row met one
 * ({@code EmbeddedS3Test}).
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
        readBodiesBeforeAnswering(proxy);
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

    private static void readBodiesBeforeAnswering(S3Proxy proxy) throws ReflectiveOperationException {
        Field field = S3Proxy.class.getDeclaredField("server");
        field.setAccessible(true);
        Server server = (Server) field.get(proxy);
        server.setHandler(new ReadBodyFirst(server.getHandler()));
    }

    /** Reads the request body into memory, then hands the request on with the body as its content. */
    private static final class ReadBodyFirst extends Handler.Wrapper {

        ReadBodyFirst(Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            ByteBuffer body = Content.Source.asByteBuffer(request);
            Content.Source content = Content.Source.from(body);
            return super.handle(new Request.Wrapper(request) {
                @Override
                public Content.Chunk read() {
                    return content.read();
                }

                @Override
                public void demand(Runnable demandCallback) {
                    content.demand(demandCallback);
                }

                @Override
                public void fail(Throwable failure) {
                    content.fail(failure);
                }
            }, response, callback);
        }
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
