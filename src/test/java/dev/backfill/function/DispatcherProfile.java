package dev.backfill.function;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Selects the dispatcher handler, as {@code QUARKUS_LAMBDA_HANDLER=dispatcher} does in a deployment. */
public class DispatcherProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        // A small row limit, so that a read of two days answers part objects with signed URLs.
        return Map.of("quarkus.lambda.handler", "dispatcher", "backfill.time-travel.read-row-limit", "6");
    }
}
