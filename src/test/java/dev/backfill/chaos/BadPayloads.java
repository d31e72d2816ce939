package dev.backfill.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of dispatcher requests that must all be refused: a well-formed request of some action, then one to
 * three defects — a wrong type, a missing or unknown field, a huge or control-character string, path traversal in a
 * name, a reversed, huge or future range, deep nesting, a bad action. Each defect alone makes the request invalid.
 */
final class BadPayloads {

    /** Fields whose every string the dispatcher must refuse once the value is mangled. */
    private static final List<String> NAMES = List.of("job", "start", "end", "runId", "reprocess", "order", "set",
            "scheduledTime");
    private static final List<String> TRAVERSALS = List.of("../../etc/passwd", "a/../b", "..", "/abs",
            "dt=2026-04-09/../x",
            "..\\..\\x", "%2e%2e%2fx", "runs/../../tables", "./", "a/b");
    private static final List<String> CONTROLS = List.of("\u0000", "\n", "\r\n", "\u001b[31m", "\t", "\u007f",
            "\u2028", "\b");

    private final Random random;

    BadPayloads(long seed) {
        this.random = new Random(seed);
    }

    Map<String, Object> next() {
        Map<String, Object> request = base();
        Set<String> valid = Set.copyOf(request.keySet());
        int defects = 1 + random.nextInt(3);
        for (int i = 0; i < defects; i++) {
            defect(request, valid);
        }
        return request;
    }

    private Map<String, Object> base() {
        Map<String, Object> request = new LinkedHashMap<>();
        switch (random.nextInt(7)) {
            case 0, 1 -> {
                request.put("action", random.nextBoolean() ? "backfill" : "plan");
                request.put("job", "daily_event_counts");
                request.put("start", "2026-04-09");
                request.put("end", "2026-04-30");
            }
            case 2 -> request.putAll(Map.of("action", pick(List.of("status", "cancel", "retry")),
                    "runId", "20260101T000000Z-000000"));
            case 3 -> request.putAll(Map.of("action", "runs", "limit", 20));
            case 4 -> request.putAll(Map.of("action", "watermark", "job", "daily_event_counts"));
            case 5 -> request.put("scheduledTime", "2026-07-01T06:00:00Z");
            default -> request.put("action", "redrive");
        }
        return request;
    }

    /** @param valid the fields of the well-formed request: removing one of them is a defect, removing others not */
    private void defect(Map<String, Object> request, Set<String> valid) {
        String field = pick(NAMES);
        switch (random.nextInt(9)) {
            case 0 -> request.put(present(request, field), pick(List.of(123, true, List.of("x"), Map.of("a", 1), 1.5,
                    -7L)));
            case 1 -> missing(request, valid);
            case 2 -> request.put(pick(List.of("jobb", "x", "__proto__", "../etc", "Action", "", "start ", "\u0000")),
                    "1");
            case 3 -> request.put(present(request, field), "9".repeat(1 + random.nextInt(200_000)));
            case 4 -> request.put(present(request, field), "daily_event_counts".substring(0, random.nextInt(18))
                    + pick(CONTROLS) + "2026-04-09");
            case 5 -> request.put(present(request, field), pick(TRAVERSALS));
            case 6 -> range(request);
            case 7 -> request.put(pick(List.of(field, "nested", "action")), nested(1 + random.nextInt(3_000)));
            default -> request.put("action", pick(List.of("backfil", "", "BACKFILL", "../status", 7, List.of(),
                    "status\n", "a".repeat(100_000))));
        }
    }

    /** The field to mangle: one the request has when it has one of the names, else a new (unknown) one. */
    private String present(Map<String, Object> request, String fallback) {
        List<String> present = new ArrayList<>(request.keySet());
        present.retainAll(NAMES);
        return present.isEmpty() ? fallback : pick(present);
    }

    private void missing(Map<String, Object> request, Set<String> valid) {
        for (String required : List.of("job", "start", "end", "runId", "scheduledTime", "action")) {
            if (valid.contains(required) && request.containsKey(required) && random.nextBoolean()) {
                request.remove(required);
                return;
            }
        }
        request.clear();
    }

    private void range(Map<String, Object> request) {
        request.putIfAbsent("action", "backfill");
        switch (random.nextInt(4)) {
            case 0 -> request.putAll(Map.of("start", "2026-04-30", "end", "2026-04-09"));
            case 1 -> request.putAll(Map.of("start", "1900-01-01", "end", "2100-01-01"));
            case 2 -> request.putAll(Map.of("start", "2026-04-09", "end", "9999-12-31"));
            default -> request.putAll(Map.of("start", "2026-02-30", "end", "+99999-01-01"));
        }
    }

    private static Object nested(int depth) {
        Object value = "x";
        for (int i = 0; i < depth; i++) {
            value = i % 2 == 0 ? Map.of("a", value) : List.of(value);
        }
        return value;
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
