package dev.backfill.function;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Selects the worker handler, as {@code QUARKUS_LAMBDA_HANDLER=worker} does in a deployment. */
public class WorkerProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.lambda.handler", "worker");
    }
}
