package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.backfill.InvalidRequestException;
import dev.backfill.config.BackfillConfig;
import dev.backfill.dispatch.DispatchRequest;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.dispatch.Dispatcher;
import dev.backfill.function.metrics.BackfillMetrics;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code {"action":"backfill",...}} or a schedule's {@code {"scheduledTime":...}} in, the run summary out. A refused
 * request comes back as a function error whose message says what is wrong; nothing was written or sent. A dispatch
 * emits {@code WindowsDispatched} for the windows it enqueued.
 */
@Named("dispatcher")
public class DispatcherFunction implements RequestHandler<Map<String, Object>, DispatchSummary> {

    private static final Logger LOG = Logger.getLogger(DispatcherFunction.class);

    @Inject
    Dispatcher dispatcher;

    @Inject
    BackfillMetrics metrics;

    @Inject
    BackfillConfig config;

    @Override
    public DispatchSummary handleRequest(Map<String, Object> input, Context context) {
        String requestId = RequestIds.of(context);
        MDC.put(WindowBatchProcessor.REQUEST_ID, requestId);
        try {
            DispatchRequest request = DispatchRequest.parse(input);
            DispatchSummary summary = dispatcher.dispatch(request);
            String job = request instanceof DispatchRequest.Backfill backfill ? backfill.job()
                    : config.schedule().job();
            MDC.put("runId", summary.runId());
            MDC.put("job", job);
            LOG.infof("Run %s: %d windows enqueued, %s .. %s", summary.runId(), summary.enqueued(), summary.first(),
                    summary.last());
            metrics.dispatched(job, summary.enqueued(), summary.runId(), requestId);
            return summary;
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
