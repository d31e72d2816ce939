package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import dev.backfill.action.DispatcherActions.TimeTravel;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The checks every action that reads a table as of an instant makes on that instant. */
final class TimeTravelChecks {

    private TimeTravelChecks() {
    }

    /**
     * @throws InvalidRequestException if {@code instant} is in the future, or older than the bucket keeps replaced
     *                                 versions: a version current then may have expired since
     */
    static Instant readable(String field, Instant instant, Instant now, TimeTravel settings) {
        if (instant.isAfter(now)) {
            throw new InvalidRequestException("Cannot read as of " + field + " " + instant + ": it is in the future "
                    + "(now is " + now.truncatedTo(ChronoUnit.SECONDS) + ")");
        }
        Instant expired = now.minus(Duration.ofDays(settings.retentionDays())).truncatedTo(ChronoUnit.SECONDS);
        if (instant.isBefore(expired)) {
            throw new InvalidRequestException("Cannot read as of " + field + " " + instant + ": history before "
                    + expired + " has expired (replaced versions are kept " + settings.retentionDays()
                    + " days, NoncurrentVersionRetentionDays)");
        }
        return instant;
    }
}
