package dev.backfill.function;

import com.amazonaws.services.lambda.runtime.Context;
import dev.backfill.config.BackfillConfig;
import dev.backfill.job.Deadline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * A job's deadline from the invocation's: Lambda's remaining time ({@code Context.getRemainingTimeInMillis()}) less
 * the reserve the commit and the ledger need. Without a context (tests), no deadline.
 */
@ApplicationScoped
public class Deadlines {

    @Inject
    Clock clock;

    @Inject
    BackfillConfig config;

    Deadline of(Context context) {
        if (context == null) {
            return Deadline.none();
        }
        return Deadline.after(Duration.ofMillis(context.getRemainingTimeInMillis())
                .minus(config.worker().commitReserve()), clock);
    }
}
