package dev.backfill.local.lambda;

import java.io.IOException;

/**
 * What an event source mapping invokes: a function of the local stack, or a stand-in with the same contract (the
 * benchmark's in-process function that only takes time).
 */
public interface Invocable {

    /** The function's name, as the mapping names its threads and reports failures. */
    String name();

    /**
     * Runs the function on {@code payload} and waits for its answer; a function error is a result, not an exception.
     *
     * @throws IOException if the function could not be reached
     */
    InvocationResult invoke(byte[] payload) throws IOException, InterruptedException;
}
