package dev.backfill.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.function.metrics.BackfillMetrics;
import dev.backfill.example.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.job.RateBudget;
import dev.backfill.job.UpstreamMeter;
import dev.backfill.ledger.RunLedger;
import dev.backfill.store.ForwardingObjectStore;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore;
import dev.backfill.store.ThrottledException;
import dev.backfill.partition.PartitionPath;
import dev.backfill.ledger.WindowState;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.testing.DiscardedMetrics;
import dev.backfill.testing.MutableClock;
import dev.backfill.window.Window;
import dev.backfill.worker.Backoff;
import dev.backfill.worker.Deliveries;
import dev.backfill.worker.WindowWorker;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The handler's failure paths without Quarkus: a retryable failure shortens the message's visibility to a back-off
 * that doubles with the receive count; a permanent one goes to the DLQ with its reason and is reported processed;
 * when that send fails, it is made visible at once (visibility 0) and reported failed.
 */
class WindowBatchProcessorTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Window APR_09 = Window.day(LocalDate.of(2026, 4, 9), ZoneOffset.UTC);

    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);

    @Test
    void retryableFailure_backsOffDoublingWithTheReceiveCount_andIsReportedFailed() {
        String noInputYet = WindowMessage.of("run-1", DailyEventCounts.NAME, APR_09, 1).toJson();

        SQSBatchResponse first = processor().process(event(noInputYet, 1), "req-1");
        SQSBatchResponse third = processor().process(event(noInputYet, 3), "req-2");

        assertThat(queue.visibility).containsExactly(Map.entry("receipt-1", Duration.ofSeconds(10)),
                Map.entry("receipt-3", Duration.ofSeconds(40)));
        assertThat(first.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly("id-1");
        assertThat(third.getBatchItemFailures()).hasSize(1);
        assertThat(queue.deadLettered).isEmpty();
    }

    @Test
    void permanentFailure_goesToTheDeadLetterQueueWithItsReason_andIsReportedProcessed() {
        SQSBatchResponse response = processor().process(event("{\"v\":1,\"runId\":", 1), "req-1");

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queue.deadLettered).containsExactly(
                "InvalidRequestException: Malformed window message: not JSON");
        assertThat(queue.visibility).isEmpty();
    }

    @Test
    void unknownJob_onItsFirstDelivery_goesStraightToTheDeadLetterQueue_andIsReportedProcessed() {
        String unknown = WindowMessage.of("run-1", "no_such_job", APR_09, 1).toJson();

        SQSBatchResponse response = processor().process(event(unknown, 1), "req-1");

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queue.deadLettered).containsExactly(
                "InvalidRequestException: Unknown job 'no_such_job'; known jobs: [daily_event_counts]");
        assertThat(queue.visibility).isEmpty();
    }

    @Test
    void fenceImplausiblyFarAhead_onItsFirstDelivery_goesStraightToTheDeadLetterQueue() {
        long tooFar = dev.backfill.ledger.Fences.ofClock(NOW.plus(Duration.ofDays(2)));
        String ahead = WindowMessage.of("run-1", DailyEventCounts.NAME, APR_09, tooFar).toJson();

        SQSBatchResponse response = processor().process(event(ahead, 1), "req-1");

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(queue.deadLettered).singleElement().asString()
                .startsWith("InvalidRequestException: Fence " + tooFar + " of run run-1 lies more than 24 hours");
        assertThat(queue.visibility).isEmpty();
    }

    @Test
    void permanentFailure_whoseDeadLetterSendFails_isMadeVisibleAtOnce_andReportedFailed() {
        queue.deadLetterWorks = false;

        SQSBatchResponse response = processor().process(event("not json", 2), "req-1");

        assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .containsExactly("id-2");
        assertThat(queue.visibility).containsExactly(Map.entry("receipt-2", Duration.ZERO));
    }

    @Test
    void committedWindow_whoseCleanupFails_isGivenBack_andItsRedeliveryFinishesTheCleanupWithoutRerunningTheJob() {
        DeletesFailing flaky = new DeletesFailing(store);
        DemoEventGenerator.standard().writeDays(store, APR_09.date(), APR_09.date().plusDays(1));
        String window = WindowMessage.of("run-1", DailyEventCounts.NAME, APR_09, 1).toJson();
        PartitionPath partition = PartitionPath.of(DailyEventCounts.NAME, APR_09);

        flaky.failing = true;
        SQSBatchResponse first = processor(flaky).process(event(window, 1), "req-1");

        assertThat(first.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
                .as("committed, but its staged upload is left: the message must come back").containsExactly("id-1");
        assertThat(queue.visibility).containsExactly(Map.entry("receipt-1", Duration.ofSeconds(10)));
        assertThat(new RunLedger(store).window("run-1", APR_09.label()).orElseThrow().state())
                .as("the window is committed, and says so").isEqualTo(WindowState.SUCCEEDED);
        String committedVersion = store.get(partition.manifestKey()).orElseThrow().version().versionId();
        assertThat(stagingObjects(partition)).hasSize(1);

        flaky.failing = false;
        SQSBatchResponse second = processor(flaky).process(event(window, 2), "req-2");

        assertThat(second.getBatchItemFailures()).isEmpty();
        assertThat(stagingObjects(partition)).as("the redelivery finished the cleanup").isEmpty();
        assertThat(store.get(partition.manifestKey()).orElseThrow().version().versionId())
                .as("the job was not run again: the commit of the first delivery stands").isEqualTo(committedVersion);
        assertThat(new RunLedger(store).window("run-1", APR_09.label()).orElseThrow().state())
                .as("the redelivery does not move the window back").isEqualTo(WindowState.SUCCEEDED);
        assertThat(queue.deadLettered).isEmpty();
    }

    @Test
    void committedWindow_whoseCleanupFailsOnTheLastDelivery_isAcknowledged_neverSentToTheDeadLetterQueue() {
        DeletesFailing flaky = new DeletesFailing(store);
        DemoEventGenerator.standard().writeDays(store, APR_09.date(), APR_09.date().plusDays(1));
        flaky.failing = true;

        SQSBatchResponse last = processor(flaky).process(
                event(WindowMessage.of("run-1", DailyEventCounts.NAME, APR_09, 1).toJson(), 5), "req-1");

        assertThat(last.getBatchItemFailures()).as("a sixth receive would move it to the DLQ").isEmpty();
        assertThat(queue.visibility).isEmpty();
        assertThat(queue.deadLettered).isEmpty();
        assertThat(stagingObjects(PartitionPath.of(DailyEventCounts.NAME, APR_09))).hasSize(1);
    }

    private List<String> stagingObjects(PartitionPath partition) {
        return store.list(partition.prefix()).stream().map(ObjectStore.ObjectSummary::key)
                .filter(key -> key.substring(partition.prefix().length()).startsWith("_staging-")).toList();
    }

    /** S3 whose DeleteObjects fails while {@code failing}, as under a burst of 503 SlowDown beyond the SDK's retries. */
    private static final class DeletesFailing extends ForwardingObjectStore {
        boolean failing;

        DeletesFailing(ObjectStore store) {
            super(store);
        }

        @Override
        public int deleteAll(Collection<String> keys) {
            if (failing) {
                throw new ThrottledException("DeleteObjects failed with 503 SlowDown", null);
            }
            return super.deleteAll(keys);
        }
    }

    private WindowBatchProcessor processor() {
        return processor(store);
    }

    private WindowBatchProcessor processor(ObjectStore store) {
        WindowBatchProcessor processor = new WindowBatchProcessor();
        processor.worker = new WindowWorker(JobRegistry.of(List.of(DailyEventCounts.fixed())), store,
                new RunLedger(store), RateBudget::unlimited, clock, () -> "n1", "1.0");
        processor.queue = queue;
        processor.backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(15));
        processor.deliveries = new Deliveries(5);
        processor.metrics = new BackfillMetrics("Test", clock, DiscardedMetrics.provider());
        processor.upstream = new UpstreamMeter();
        processor.clock = clock;
        return processor;
    }

    private static SQSEvent event(String body, int receiveCount) {
        SQSMessage message = new SQSMessage();
        message.setMessageId("id-" + receiveCount);
        message.setReceiptHandle("receipt-" + receiveCount);
        message.setBody(body);
        message.setAttributes(Map.of("ApproximateReceiveCount", String.valueOf(receiveCount)));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    /** Records what the handler asks of the work queue. */
    private static final class RecordingWorkQueue implements WindowQueue {
        final List<Map.Entry<String, Duration>> visibility = new ArrayList<>();
        final List<String> deadLettered = new ArrayList<>();
        boolean deadLetterWorks = true;

        @Override
        public List<WindowMessage> send(List<WindowMessage> messages) {
            throw new UnsupportedOperationException("The worker never sends windows");
        }

        @Override
        public void retryAfter(String receiptHandle, Duration delay) {
            visibility.add(Map.entry(receiptHandle, delay));
        }

        @Override
        public boolean deadLetter(String body, String reason) {
            if (deadLetterWorks) {
                deadLettered.add(reason);
            }
            return deadLetterWorks;
        }

        @Override
        public Redrive redrive() {
            throw new UnsupportedOperationException("The worker never redrives");
        }
    }
}
