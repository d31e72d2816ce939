package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.Json;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.function.metrics.BackfillMetrics;
import dev.backfill.job.UpstreamMeter;
import dev.backfill.local.lambda.Invocable;
import dev.backfill.local.lambda.InvocationResult;
import dev.backfill.testing.DiscardedMetrics;
import dev.backfill.worker.Backoff;
import dev.backfill.worker.Deliveries;
import dev.backfill.worker.WindowWorker;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker handler's code path ({@link WindowBatchProcessor}) as an in-process function the local stack's event
 * source mapping can invoke: the SQS event JSON in, the batch response JSON out. No Quarkus, no process; for tests
 * that put many faults through the real queue semantics of ElasticMQ in seconds.
 */
public final class InProcessWorker implements Invocable {

    private final WindowBatchProcessor processor = new WindowBatchProcessor();
    private final AtomicLong invocations = new AtomicLong();

    public InProcessWorker(WindowWorker worker, WindowQueue queue, Backoff backoff, Deliveries deliveries,
                           Clock clock) {
        processor.worker = worker;
        processor.queue = queue;
        processor.backoff = backoff;
        processor.deliveries = deliveries;
        processor.clock = clock;
        processor.upstream = new UpstreamMeter();
        // Metrics documents are the handler's business, not the test's: dropped.
        processor.metrics = new BackfillMetrics("Chaos", clock, DiscardedMetrics.provider());
    }

    @Override
    public String name() {
        return "in-process-worker";
    }

    public long invocations() {
        return invocations.get();
    }

    @Override
    public InvocationResult invoke(byte[] payload) throws IOException {
        invocations.incrementAndGet();
        SQSEvent event = new SQSEvent();
        List<SQSMessage> records = new ArrayList<>();
        for (JsonNode node : Json.mapper().readTree(payload).path("Records")) {
            SQSMessage record = new SQSMessage();
            record.setMessageId(node.path("messageId").asText());
            record.setReceiptHandle(node.path("receiptHandle").asText());
            record.setBody(node.path("body").asText());
            Map<String, String> attributes = new HashMap<>();
            node.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            record.setAttributes(attributes);
            records.add(record);
        }
        event.setRecords(records);
        SQSBatchResponse response = processor.process(event, UUID.randomUUID().toString());
        return InvocationResult.success(Json.mapper().writeValueAsBytes(response));
    }
}
