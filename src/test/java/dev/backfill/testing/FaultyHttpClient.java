package dev.backfill.testing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An SDK HTTP client that answers a seeded share of the requests it is given with a canned error instead of sending
 * them: S3's {@code 503 SlowDown}, SQS's throttling. The SDK sees a real HTTP answer, so its own retries, its error
 * parsing and the adapters' error mapping all run as against AWS. Thread-safe; the faults are in the order of the
 * requests, so a concurrent run is reproducible in count, not in which request got which.
 */
public final class FaultyHttpClient implements SdkHttpClient {

    /** What S3 answers when a prefix is asked for more than it serves (S3 API Reference, Error responses). */
    public static final Fault S3_SLOW_DOWN = new Fault(503, "application/xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
                    + "<Message>Please reduce your request rate.</Message></Error>");
    /** SQS's throttling answer in its JSON protocol (a 400 with the throttling error code the SDK retries). */
    public static final Fault SQS_THROTTLED = new Fault(400, "application/x-amz-json-1.0",
            "{\"__type\":\"com.amazonaws.sqs#ThrottlingException\",\"message\":\"Rate exceeded\"}");

    /** A canned answer: status, content type and body, as the service would send them. */
    public record Fault(int status, String contentType, String body) {
    }

    private final SdkHttpClient delegate;
    private final Predicate<SdkHttpRequest> eligible;
    private final double share;
    private final Fault fault;
    private final Random random;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong injected = new AtomicLong();

    public FaultyHttpClient(SdkHttpClient delegate, Predicate<SdkHttpRequest> eligible, double share, Fault fault,
                     long seed) {
        this.delegate = delegate;
        this.eligible = eligible;
        this.share = share;
        this.fault = fault;
        this.random = new Random(seed);
    }

    /** Requests seen that could be faulted. */
    public long requests() {
        return requests.get();
    }

    /** Requests answered with the fault: each one a retry for the SDK or the caller. */
    public long injected() {
        return injected.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (eligible.test(request.httpRequest())) {
            requests.incrementAndGet();
            boolean faulted;
            synchronized (random) {
                faulted = random.nextDouble() < share;
            }
            if (faulted) {
                injected.incrementAndGet();
                return canned();
            }
        }
        return delegate.prepareRequest(request);
    }

    private ExecutableHttpRequest canned() {
        byte[] body = fault.body().getBytes(StandardCharsets.UTF_8);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                SdkHttpFullResponse response = SdkHttpFullResponse.builder().statusCode(fault.status())
                        .putHeader("Content-Type", fault.contentType())
                        .putHeader("Content-Length", String.valueOf(body.length))
                        .putHeader("x-amz-request-id", "chaos")
                        .build();
                return HttpExecuteResponse.builder().response(response)
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public String clientName() {
        return "faulty-" + delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** Requests whose {@code X-Amz-Target} header names this SQS action (the JSON protocol's action header). */
    public static Predicate<SdkHttpRequest> sqsAction(String action) {
        return request -> request.firstMatchingHeader("X-Amz-Target").filter(t -> t.endsWith("." + action))
                .isPresent();
    }

    public static Predicate<SdkHttpRequest> any() {
        return request -> true;
    }

    /** S3's DeleteObjects: {@code POST /bucket?delete}. */
    public static Predicate<SdkHttpRequest> s3DeleteObjects() {
        return request -> request.rawQueryParameters().containsKey("delete");
    }

    /** An S3 error document with this status and code. */
    public static Fault s3Error(int status, String code) {
        return new Fault(status, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>injected by the test</Message></Error>");
    }

}
