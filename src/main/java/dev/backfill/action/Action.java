package dev.backfill.action;

/**
 * One dispatcher action: its request, the checks on it, and its work. {@link #parse} refuses a bad request before
 * anything is read or written; {@link #run} may still refuse one whose fields are well-formed but name something
 * that does not exist (an unknown run), and then too it has written and sent nothing.
 *
 * @param <Q> the checked request
 */
public interface Action<Q> {

    /** The {@code action} field's value that selects this action. */
    String name();

    /** @throws dev.backfill.InvalidRequestException naming the field and value at fault */
    Q parse(ActionInput input);

    /** Does the work and answers; the answer is returned to the caller as JSON. */
    Object run(Q request);
}
