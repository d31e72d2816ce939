package dev.backfill.chaos;

import java.util.List;
import java.util.Random;

/**
 * Seeded generator of window message bodies no worker can ever process: not JSON, the wrong shape or version, a
 * missing or mistyped field, path traversal or control characters in a name, an unknown job, a fence far in the
 * future. Each must go to the DLQ after one delivery, writing nothing.
 */
final class BadMessages {

    private static final String WINDOW = "{\"label\":\"2026-04-09\",\"start\":\"2026-04-09T00:00:00Z\","
            + "\"end\":\"2026-04-10T00:00:00Z\"}";
    private static final List<String> BAD_NAMES = List.of("../../etc", "a/b", "..", "x\\u0000y", "run\\nid", "",
            " ", "%2e%2e", "dt=2026-04-09/../x", "a".repeat(300));

    private final Random random;

    BadMessages(long seed) {
        this.random = new Random(seed);
    }

    String next() {
        String name = pick(BAD_NAMES);
        return switch (random.nextInt(12)) {
            case 0 -> pick(List.of(" ", "{", "not json", "[]", "null", "42", "\"text\"", "{\"v\":1,\"runId\":"));
            case 1 -> message("2", "\"r1\"", "\"daily_event_counts\"", WINDOW, "1");
            case 2 -> message("\"1\"", "\"r1\"", "\"daily_event_counts\"", WINDOW, "1");
            case 3 -> message("1", quoted(name), "\"daily_event_counts\"", WINDOW, "1");
            case 4 -> message("1", "\"r1\"", quoted(name), WINDOW, "1");
            case 5 -> message("1", "\"r1\"", "\"daily_event_counts\"", WINDOW.replace("2026-04-09\"", name + "\""),
                    "1");
            case 6 -> message("1", "\"r1\"", "\"no_such_job\"", WINDOW, "1");
            case 7 -> message("1", "\"r1\"", "\"daily_event_counts\"", WINDOW, "9223372036854775807");
            case 8 -> message("1", "\"r1\"", "\"daily_event_counts\"", WINDOW, pick(List.of("-1", "1.5", "\"1\"",
                    "null", "[]")));
            case 9 -> message("1", "123", "\"daily_event_counts\"", WINDOW, "1");
            case 10 -> message("1", "\"r1\"", "\"daily_event_counts\"", "{\"label\":\"2026-04-09\",\"start\":"
                    + "\"2026-04-10T00:00:00Z\",\"end\":\"2026-04-09T00:00:00Z\"}", "1");
            default -> message("1", "\"r1\"", "\"daily_event_counts\"", pick(List.of("null", "{}", "\"w\"",
                    "{\"label\":\"2026-04-09\"}")), "1");
        };
    }

    private static String message(String v, String runId, String job, String window, String fence) {
        return "{\"v\":" + v + ",\"runId\":" + runId + ",\"job\":" + job + ",\"window\":" + window + ",\"fence\":"
                + fence + "}";
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
