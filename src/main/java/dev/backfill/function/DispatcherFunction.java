package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.InvalidRequestException;
import dev.backfill.Json;
import dev.backfill.action.ActionRouter;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.function.metrics.BackfillMetrics;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * A dispatcher action ({@code {"action":"backfill"|"plan"|"status"|...}}) or a schedule's {@code {"scheduledTime":..}}
 * in, its answer out as JSON. A refused request comes back as a function error whose message names the field and
 * value at fault; nothing was written or sent. A run started emits {@code WindowsDispatched} for its windows.
 */
@Named("dispatcher")
public class DispatcherFunction implements RequestHandler<Map<String, Object>, JsonNode> {

    private static final Logger LOG = Logger.getLogger(DispatcherFunction.class);

    @Inject
    ActionRouter router;

    @Inject
    BackfillMetrics metrics;

    @Override
    public JsonNode handleRequest(Map<String, Object> input, Context context) {
        String requestId = RequestIds.of(context);
        MDC.put(WindowBatchProcessor.REQUEST_ID, requestId);
        try {
            Object answer = router.handle(input);
            if (answer instanceof DispatchSummary run && run.runId() != null && !run.replayed()) {
                MDC.put("runId", run.runId());
                MDC.put("job", run.job());
                LOG.infof("Run %s: %d windows enqueued, %s .. %s", run.runId(), run.enqueued(), run.first(),
                        run.last());
                metrics.dispatched(run.job(), run.enqueued(), run.runId(), requestId);
            }
            // Our one JSON mapping (ISO instants, declaration order) rather than the runtime's.
            return Json.mapper().valueToTree(answer);
        } catch (InvalidRequestException e) {
            LOG.warnf("Refused: %s", e.getMessage());
            throw e;
        } finally {
            MDC.remove(WindowBatchProcessor.REQUEST_ID);
            MDC.remove("runId");
            MDC.remove("job");
        }
    }
}
