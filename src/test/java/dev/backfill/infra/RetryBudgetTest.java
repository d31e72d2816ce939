package dev.backfill.infra;

import static dev.backfill.infra.Template.list;
import static dev.backfill.infra.Template.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.config.BackfillConfig;
import dev.backfill.worker.Backoff;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The work queue gives a window whose input is late enough deliveries to wait for it: for every allowed
 * {@code UpstreamLatenessHours}, the worker's back-offs before the last delivery ({@code maxReceiveCount}) add up to at
 * least that lateness — so input that arrives up to that late is committed before the message reaches the DLQ — and
 * not one delivery more than needed (a window that can never succeed parks as soon as the stated lateness allows).
 */
class RetryBudgetTest {

    private static final Template TEMPLATE = Template.load(Path.of("infra", "template.yaml"));
    /** Transient failures (throttling, conflicts) get at least this many deliveries, whatever the lateness. */
    private static final int MIN_RECEIVES = 5;

    @Test
    void everyAllowedLateness_isCoveredByTheBackoffsBeforeTheLastDelivery_withNoDeliveryToSpare() throws Exception {
        Backoff backoff = deployedBackoff();
        Map<String, Object> receives = map(TEMPLATE.section("Mappings").get("LatenessReceives"));
        List<Object> allowed = list(map(TEMPLATE.section("Parameters").get("UpstreamLatenessHours"))
                .get("AllowedValues"));

        assertThat(receives.keySet()).containsExactlyInAnyOrderElementsOf(allowed.stream().map(String::valueOf)
                .toList());
        for (Object hours : allowed) {
            Duration lateness = Duration.ofHours(Long.parseLong(String.valueOf(hours)));
            int maxReceiveCount = (Integer) map(receives.get(String.valueOf(hours))).get("MaxReceiveCount");

            assertThat(waitedBefore(maxReceiveCount, backoff)).as("back-off before delivery %d, lateness %s",
                    maxReceiveCount, lateness).isGreaterThanOrEqualTo(lateness);
            if (maxReceiveCount > MIN_RECEIVES) {
                assertThat(waitedBefore(maxReceiveCount - 1, backoff)).as("one delivery fewer, lateness %s",
                        lateness).isLessThan(lateness);
            }
        }
    }

    @Test
    void workQueue_takesItsMaxReceiveCountFromTheLatenessParameter() {
        Map<String, Object> redrive = map(TEMPLATE.properties("WorkQueue").get("RedrivePolicy"));

        assertThat(list(map(redrive.get("maxReceiveCount")).get("Fn::FindInMap")))
                .containsExactly("LatenessReceives", Map.of("Ref", "UpstreamLatenessHours"), "MaxReceiveCount");
    }

    @Test
    void twoHoursLate_needsFifteenDeliveries_asTheReadmeWorksOut() throws Exception {
        assertThat(waitedBefore(15, deployedBackoff())).isEqualTo(Duration.ofSeconds(7_570));
        assertThat(waitedBefore(14, deployedBackoff())).isEqualTo(Duration.ofSeconds(6_670));
    }

    /** How long a window has waited in back-offs when delivery {@code delivery} starts (1: none). */
    private static Duration waitedBefore(int delivery, Backoff backoff) {
        Duration waited = Duration.ZERO;
        for (int attempt = 1; attempt < delivery; attempt++) {
            waited = waited.plus(backoff.after(attempt));
        }
        return waited;
    }

    /** The back-off the template deploys: the configuration's defaults (the template does not override them). */
    private static Backoff deployedBackoff() throws NoSuchMethodException {
        Class<BackfillConfig.Retry> retry = BackfillConfig.Retry.class;
        return new Backoff(Duration.parse("PT" + retry.getMethod("baseDelay").getAnnotation(WithDefault.class)
                .value().toUpperCase()), Duration.parse("PT" + retry.getMethod("maxDelay")
                .getAnnotation(WithDefault.class).value().toUpperCase()));
    }
}
