package dev.backfill;

/**
 * Root of the small family of unchecked exceptions this project throws. Messages say what failed and with which
 * value; they never carry payload data or secrets.
 */
public class BackfillException extends RuntimeException {

    public BackfillException(String message) {
        super(message);
    }

    public BackfillException(String message, Throwable cause) {
        super(message, cause);
    }
}
