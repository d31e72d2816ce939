package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.Context;

/** The invocation's Lambda request id, which correlates log lines, metrics and Lambda's own REPORT line. */
final class RequestIds {

    static final String NONE = "none";

    private RequestIds() {
    }

    static String of(Context context) {
        String id = context == null ? null : context.getAwsRequestId();
        return id == null || id.isBlank() ? NONE : id;
    }
}
