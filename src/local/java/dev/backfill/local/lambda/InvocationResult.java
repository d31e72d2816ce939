package dev.backfill.local.lambda;


/**
 * What a synchronous invocation returned, as Lambda's Invoke API reports it: the payload, and for a function error
 * {@code functionError} {@code "Unhandled"} with the error document as the payload.
 */
public record InvocationResult(byte[] payload, String functionError) {

    public static InvocationResult success(byte[] payload) {
        return new InvocationResult(payload, null);
    }

    public static InvocationResult unhandled(byte[] errorDocument) {
        return new InvocationResult(errorDocument, "Unhandled");
    }

    public boolean failed() {
        return functionError != null;
    }
}
