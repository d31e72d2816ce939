package dev.backfill.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short form of {@code make chaos}: each scenario with small counts, asserting what the table says — nothing
 * lost, duplicated, mixed or orphaned. {@link Chaos} runs the full counts and the end-to-end scenario.
 */
@Timeout(180)
class ChaosTest {

    private static final LocalDate JAN_01 = LocalDate.of(2026, 1, 1);
    private static final LocalDate FEB_01 = LocalDate.of(2026, 2, 1);
    private static final LocalDate MAR_01 = LocalDate.of(2026, 3, 1);
    private static final LocalDate APR_01 = LocalDate.of(2026, 4, 1);
    private static final LocalDate MAY_01 = LocalDate.of(2026, 5, 1);
    private static final LocalDate JUN_01 = LocalDate.of(2026, 6, 1);

    @Test
    void duplicates_everyMessageTwiceSomeThrice_giveTheFaultFreePartitions() {
        assertHeld(DuplicateDeliveries.run(JAN_01, 6, 1));
    }

    @Test
    void crashBeforeAndAfterEveryRequest_readersSeeOldOrNew_andTheNextDeliveryConverges() throws Exception {
        assertHeld(CrashAtEveryStep.run(FEB_01));
    }

    @Test
    void racingRuns_highestFenceWins_noLostUpdate_prefixHoldsTheManifestsParts() throws Exception {
        assertHeld(RacingWriters.run(MAR_01, 40, 10, 3));
    }

    @Test
    void badDispatcherPayloads_areEachRefusedClearly_sendingAndWritingNothing() {
        ChaosFigure figure = Fuzz.payloads(2_000, 5);

        assertHeld(figure);
        assertThat(figure.values().get("requestsByAction")).asInstanceOf(InstanceOfAssertFactories.map(String.class,
                Integer.class)).containsOnlyKeys(BadPayloads.KINDS).allSatisfy((action, requests) ->
                assertThat(requests).as(action).isGreaterThanOrEqualTo(30));
        assertThat(figure.values().get("refusedByAction")).isEqualTo(figure.values().get("requestsByAction"));
    }

    @Test
    void badWindowMessages_reachTheDeadLetterQueueAfterOneDelivery_writingNothing() {
        assertHeld(Fuzz.messages(100, 6));
    }

    @Test
    void poison_exactlyTheMalformedMessagesAndInputsReachTheDeadLetterQueue_everyOtherWindowCommits() {
        assertHeld(Poison.run(APR_01, 4, 8, 4));
    }

    @Test
    void throttling_tenPercentSlowDownsAndThrottledSends_everythingCommits_nothingLost() {
        assertHeld(Throttling.run(MAY_01, 20, 0.10, 0.30, 7));
    }

    @Test
    void prefixReaderInterval_isMeasuredForEveryReplacement_andLeavesNoOrphans() throws Exception {
        ChaosFigure figure = PrefixReaderInterval.run(JUN_01, 5, 8);

        assertHeld(figure);
        assertThat(figure.values()).containsKeys("medianMillis", "maxMillis", "listingsWithTwoVersions");
    }

    private static void assertHeld(ChaosFigure figure) {
        assertThat(figure.held()).as("%s: %s → %s; values %s", figure.scenario(), figure.faults(), figure.outcome(),
                figure.values()).isTrue();
    }
}
