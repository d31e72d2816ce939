package dev.backfill.local.lambda;


/**
 * What a synchronous invocation returned, as Lambda's Invoke API reports it: the payload, and for a function error
 * {@code functionError} {@code "Unhandled"} with the error document as the payload.
 */
record InvocationResult(byte[] payload, String functionError) {

    static InvocationResult success(byte[] payload) {
        return new InvocationResult(payload, null);
    }

    static InvocationResult unhandled(byte[] errorDocument) {
        return new InvocationResult(errorDocument, "Unhandled");
    }

    boolean failed() {
        return functionError != null;
    }
}
