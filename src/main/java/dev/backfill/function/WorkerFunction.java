package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/** SQS batch in, partial batch failures out (the mapping needs {@code ReportBatchItemFailures}). */
@Named("worker")
public class WorkerFunction implements RequestHandler<SQSEvent, SQSBatchResponse> {

    @Inject
    WindowBatchProcessor processor;

    @Inject
    Deadlines deadlines;

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return processor.process(event, RequestIds.of(context), deadlines.of(context));
    }
}
