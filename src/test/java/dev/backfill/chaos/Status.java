package dev.backfill.chaos;

import dev.backfill.Json;
import java.util.Map;

/** The dispatcher's {@code status} answer of a run, as a map. */
final class Status {

    private Status() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(ChaosRig rig, String runId) {
        return Json.mapper().convertValue(rig.router().handle(Map.of("action", "status", "runId", runId)), Map.class);
    }
}
