package dev.backfill.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;

/**
 * Counts the HTTP requests an S3 client really sends, at the SDK layer: every transmission, retries included, with
 * its operation and how long the server took to answer.
 */
final class S3RequestCounter implements ExecutionInterceptor {

    /** One request on the wire; {@code prefix} is the prefix of a listing, else null. */
    record Request(String operation, String prefix, long nanos) {
    }

    private static final ExecutionAttribute<Long> SENT = new ExecutionAttribute<>("bench.sent");

    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        attributes.putAttribute(SENT, System.nanoTime());
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        String prefix = context.request() instanceof ListObjectsV2Request list ? list.prefix() : null;
        requests.add(new Request(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), prefix,
                System.nanoTime() - attributes.getAttribute(SENT)));
    }

    /** The requests since the last call, and forgets them. */
    List<Request> drain() {
        List<Request> drained = List.copyOf(requests);
        requests.removeAll(drained);
        return drained;
    }

    static Map<String, Integer> byOperation(List<Request> requests) {
        Map<String, Integer> counts = new TreeMap<>();
        requests.forEach(request -> counts.merge(request.operation(), 1, Integer::sum));
        return counts;
    }
}
