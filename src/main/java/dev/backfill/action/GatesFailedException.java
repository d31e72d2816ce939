package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import dev.backfill.partition.GateCheck;
import java.util.List;

/**
 * {@code publish} refused because audit gates failed on some staged windows; nothing was published. The message
 * lists the failing days and values (at most {@value #SHOWN}); {@link #failures()} has them all.
 */
public final class GatesFailedException extends InvalidRequestException {

    static final int SHOWN = 20;

    private final transient List<GateCheck> failures;

    public GatesFailedException(String runId, List<GateCheck> failures) {
        super(message(runId, failures));
        this.failures = List.copyOf(failures);
    }

    public List<GateCheck> failures() {
        return failures;
    }

    private static String message(String runId, List<GateCheck> failures) {
        StringBuilder text = new StringBuilder("Cannot publish run " + runId + ": " + failures.size()
                + " audit gate check(s) failed on " + failures.stream().map(GateCheck::label).distinct().count()
                + " day(s); nothing was published (send \"force\":true to publish anyway, or relax \"gates\"): ");
        text.append(String.join("; ", failures.stream().limit(SHOWN).map(GateCheck::describe).toList()));
        if (failures.size() > SHOWN) {
            text.append("; … and ").append(failures.size() - SHOWN).append(" more");
        }
        return text.toString();
    }
}
