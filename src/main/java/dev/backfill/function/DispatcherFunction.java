package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.backfill.InvalidRequestException;
import dev.backfill.dispatch.DispatchRequest;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.dispatch.Dispatcher;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code {"action":"backfill",...}} or a schedule's {@code {"scheduledTime":...}} in, the run summary out. A refused
 * request comes back as a function error whose message says what is wrong; nothing was written or sent.
 */
@Named("dispatcher")
public class DispatcherFunction implements RequestHandler<Map<String, Object>, DispatchSummary> {

    private static final Logger LOG = Logger.getLogger(DispatcherFunction.class);

    @Inject
    Dispatcher dispatcher;

    @Override
    public DispatchSummary handleRequest(Map<String, Object> input, Context context) {
        try {
            DispatchSummary summary = dispatcher.dispatch(DispatchRequest.parse(input));
            LOG.infof("Run %s: %d windows enqueued, %s .. %s", summary.runId(), summary.enqueued(), summary.first(),
                    summary.last());
            return summary;
        } catch (InvalidRequestException e) {
            LOG.warnf("Refused: %s", e.getMessage());
            throw e;
        }
    }
}
