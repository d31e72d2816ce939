package dev.backfill.ops;

import java.io.IOException;

/** Invokes the dispatcher function with a JSON request and returns its JSON answer. */
interface Invoker {

    /**
     * @throws FunctionErrorException if the function answered with an error (a refused request, a failed dispatch)
     * @throws IOException            if the function could not be reached
     */
    String invoke(String request) throws IOException, InterruptedException;

    /** The function ran and failed: its error message, as Lambda reports it. */
    final class FunctionErrorException extends RuntimeException {
        FunctionErrorException(String message) {
            super(message);
        }
    }
}
