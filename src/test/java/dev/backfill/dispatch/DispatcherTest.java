package dev.backfill.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.BackfillException;
import dev.backfill.InvalidRequestException;
import dev.backfill.RetryableException;
import dev.backfill.job.DailyEventCounts;
import dev.backfill.job.JobRegistry;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.store.ObjectStore.ObjectSummary;
import dev.backfill.window.WindowRange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starting a run: refuse before writing, record before sending, account for what the queue refused. */
class DispatcherTest {

    private static final LocalDate APR_09 = LocalDate.of(2026, 4, 9);
    private static final LocalDate APR_30 = LocalDate.of(2026, 4, 30);
    private static final Instant NOW = Instant.parse("2026-11-25T10:15:30Z");
    private static final String RUN_ID = "20261125T101530Z-a1b2c3";
    private static final String JOB = DailyEventCounts.NAME;
    private static final DispatchRequest APR_09_TO_APR_30 = new DispatchRequest.Backfill(JOB,
            WindowRange.of(APR_09, APR_30));

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final InMemoryObjectStore store = new InMemoryObjectStore(clock);
    private final ExecutorService ledgerWrites = Executors.newFixedThreadPool(4);
    private final RunLedger ledger = new RunLedger(store, ledgerWrites);
    private final FakeQueue queue = new FakeQueue();

    @AfterEach
    void stopLedgerWrites() {
        ledgerWrites.shutdownNow();
    }

    @Test
    void dispatch_unknownJob_writesNothingAndSendsNothing() {
        DispatchRequest unknownJob = new DispatchRequest.Backfill("daily_event_count", WindowRange.of(APR_09, APR_30));

        assertThatThrownBy(() -> dispatcher(3660).dispatch(unknownJob))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unknown job 'daily_event_count'; known jobs: [daily_event_counts]");

        assertThat(store.listVersions("")).isEmpty();
        assertThat(queue.sendCalls).isZero();
    }

    @Test
    void dispatch_tooManyWindows_writesNothingAndSendsNothing() {
        assertThatThrownBy(() -> dispatcher(20).dispatch(APR_09_TO_APR_30))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Cannot split range 2026-04-09 .. 2026-04-30: 21 windows exceed the maximum of 20");

        assertThat(store.listVersions("")).isEmpty();
        assertThat(queue.sendCalls).isZero();
    }

    @Test
    void dispatch_goodRequest_recordsRunAndEveryQueuedWindowBeforeSendingAny() {
        dispatcher(3660).dispatch(APR_09_TO_APR_30);

        List<String> expected = new ArrayList<>();
        expected.add(RunLedger.runKey(RUN_ID));
        queue.sent.forEach(message -> expected.add(RunLedger.windowKey(RUN_ID, message.window().label())));
        assertThat(queue.sendCalls).isEqualTo(1);
        assertThat(queue.ledgerKeysAtSend).containsExactlyInAnyOrderElementsOf(expected).hasSize(22);
    }

    @Test
    void dispatch_goodRequest_sendsOneMessagePerWindowOldestFirstAndReturnsTheSummary() {
        DispatchSummary summary = dispatcher(3660).dispatch(APR_09_TO_APR_30);

        assertThat(summary).isEqualTo(new DispatchSummary(RUN_ID, 21, 21, "2026-04-09", "2026-04-29"));
        assertThat(queue.sent).extracting(message -> message.window().date())
                .containsExactlyElementsOf(APR_09.datesUntil(APR_30).toList());
        assertThat(ledger.run(RUN_ID).orElseThrow().windows()).isEqualTo(21);
        assertThat(queue.sent).allSatisfy(message -> assertThat(ledger.window(RUN_ID, message.window().label()))
                .contains(WindowStatus.queued(RUN_ID, message.window().label())));
    }

    @Test
    void dispatch_queueRefusesSome_failsNamingTheFirstAndMarksThoseWindowsFailed() {
        queue.refuse("2026-04-10", "2026-04-20");

        assertThatThrownBy(() -> dispatcher(3660).dispatch(APR_09_TO_APR_30))
                .isInstanceOf(DispatchFailedException.class)
                .isInstanceOf(RetryableException.class)
                .hasMessage("Enqueued 19 of 21 windows of run " + RUN_ID + "; not enqueued: 2026-04-10 and 1 more");

        WindowStatus notEnqueued = new WindowStatus(RUN_ID, "2026-04-10", WindowState.FAILED, 0, null, NOW, null,
                null, "not enqueued: the queue refused the message", null);
        assertThat(ledger.window(RUN_ID, "2026-04-10")).contains(notEnqueued);
        assertThat(ledger.window(RUN_ID, "2026-04-20").orElseThrow().state()).isEqualTo(WindowState.FAILED);
        assertThat(ledger.window(RUN_ID, "2026-04-09").orElseThrow().state()).isEqualTo(WindowState.QUEUED);
        assertThat(queue.sent).hasSize(19);
    }

    @Test
    void dispatch_queueRefusesOne_namesItAlone() {
        queue.refuse("2026-04-29");

        assertThatThrownBy(() -> dispatcher(3660).dispatch(APR_09_TO_APR_30))
                .isInstanceOf(DispatchFailedException.class)
                .hasMessage("Enqueued 20 of 21 windows of run " + RUN_ID + "; not enqueued: 2026-04-29");
    }

    @Test
    void dispatch_sameRunIdTwice_isRefusedWithoutSendingAgain() {
        Dispatcher dispatcher = dispatcher(3660);
        dispatcher.dispatch(APR_09_TO_APR_30);

        assertThatThrownBy(() -> dispatcher.dispatch(APR_09_TO_APR_30))
                .isExactlyInstanceOf(BackfillException.class)
                .hasMessage("Run " + RUN_ID + " exists already");
        assertThat(queue.sendCalls).isEqualTo(1);
    }

    private Dispatcher dispatcher(int maxWindows) {
        DispatchPlanner planner = new DispatchPlanner(JobRegistry.of(List.of(DailyEventCounts.fixed())),
                new DispatchPlanner.Settings(ZoneId.of("UTC"), maxWindows, JOB, "1.4.2"), clock, () -> "a1b2c3");
        return new Dispatcher(planner, ledger, queue, clock);
    }

    /** Sends by recording; refuses the windows it is told to; notes what the ledger held when asked to send. */
    private final class FakeQueue implements WindowQueue {

        final List<WindowMessage> sent = new ArrayList<>();
        List<String> ledgerKeysAtSend = List.of();
        int sendCalls;
        private Set<String> refused = Set.of();

        void refuse(String... labels) {
            refused = Set.of(labels);
        }

        @Override
        public synchronized List<WindowMessage> send(List<WindowMessage> messages) {
            sendCalls++;
            ledgerKeysAtSend = store.list(RunLedger.PREFIX).stream().map(ObjectSummary::key).toList();
            List<WindowMessage> unsent = new ArrayList<>();
            for (WindowMessage message : messages) {
                (refused.contains(message.window().label()) ? unsent : sent).add(message);
            }
            return unsent;
        }

        @Override
        public void retryAfter(String receiptHandle, Duration delay) {
            throw new UnsupportedOperationException("The dispatcher never changes a message's visibility");
        }
    }
}
