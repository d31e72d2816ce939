package dev.backfill.local;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How one local function is configured, as a Lambda function is: its name, timeout, memory and environment, plus how
 * many processes (execution environments) serve it.
 */
public record FunctionSpec(String name, Duration timeout, int memoryMb, int processes,
                           Map<String, String> environment) {

    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        environment = Map.copyOf(environment);
        if (processes < 1) {
            throw new IllegalArgumentException("Function " + name + " needs at least one process: " + processes);
        }
    }

    /** This spec with {@code overrides} laid over its environment. */
    FunctionSpec withEnvironment(Map<String, String> overrides) {
        Map<String, String> merged = new java.util.HashMap<>(environment);
        merged.putAll(overrides);
        return new FunctionSpec(name, timeout, memoryMb, processes, merged);
    }

    String arn() {
        return "arn:aws:lambda:" + LocalStack.REGION + ":" + LocalStack.ACCOUNT + ":function:" + name;
    }
}
