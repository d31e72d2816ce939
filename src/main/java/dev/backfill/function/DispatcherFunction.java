package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.InvalidRequestException;
import dev.backfill.Json;
import dev.backfill.action.ActionRouter;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * A dispatcher action ({@code {"action":"backfill"|"plan"|"status"|...}}) or a schedule's {@code {"scheduledTime":..}}
 * in, its answer out as JSON. A refused request comes back as a function error whose message names the field and
 * value at fault; nothing was written or sent.
 */
@Named("dispatcher")
public class DispatcherFunction implements RequestHandler<Map<String, Object>, JsonNode> {

    private static final Logger LOG = Logger.getLogger(DispatcherFunction.class);

    @Inject
    ActionRouter router;

    @Override
    public JsonNode handleRequest(Map<String, Object> input, Context context) {
        try {
            // Our one JSON mapping (ISO instants, declaration order) rather than the runtime's.
            return Json.mapper().valueToTree(router.handle(input));
        } catch (InvalidRequestException e) {
            LOG.warnf("Refused: %s", e.getMessage());
            throw e;
        }
    }
}
