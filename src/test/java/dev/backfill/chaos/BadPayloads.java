package dev.backfill.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Seeded generator of dispatcher requests that must all be refused: a well-formed request of some action, then one to
 * three defects — a wrong type, a missing, null or unknown field, a huge or control-character string, path traversal
 * in a name, a reversed, huge or future range, a malformed, future or expired instant, a bad gates override, deep
 * nesting, a bad action. Each defect alone makes the request invalid, whatever the store holds: the generator never
 * makes a well-formed read ({@code read}, {@code diff}, {@code audit}, {@code watermark}) that a store could answer.
 * The run actions' requests name either a well-formed id of no run, refused as unknown, or a staged run the fuzzed
 * store holds, which each defect alone must keep them from reading, publishing, discarding, cancelling or retrying.
 */
final class BadPayloads {

    /** The run actions' id: well-formed, but of no run in the fuzzed store. */
    static final String UNKNOWN_RUN = "20260101T000000Z-000000";
    /** Every action the generator starts from, and the schedule's event; each payload counts under one. */
    static final List<String> KINDS = List.of("backfill", "plan", "status", "cancel", "retry", "runs", "watermark",
            "schedule", "redrive", "read", "diff", "report", "publish", "discard", "audit");

    /** Fields whose every value the dispatcher must refuse once the value is mangled. */
    private static final List<String> NAMES = List.of("job", "start", "end", "runId", "reprocess", "order", "set",
            "scheduledTime", "table", "day", "asOf", "before", "after", "force", "gates");
    /** The fields that read an instant (or a snapshot: an instant, {@code now} or {@code staged:<runId>}). */
    private static final List<String> INSTANTS = List.of("asOf", "before", "after", "scheduledTime");
    private static final List<String> TRAVERSALS = List.of("../../etc/passwd", "a/../b", "..", "/abs",
            "dt=2026-04-09/../x",
            "..\\..\\x", "%2e%2e%2fx", "runs/../../tables", "./", "a/b", "tables/daily_event_counts",
            "_backfill/runs/" + UNKNOWN_RUN, "daily_event_counts/../daily_event_counts", UNKNOWN_RUN + "/..");
    private static final List<String> CONTROLS = List.of("\u0000", "\n", "\r\n", "\u001b[31m", "\t", "\u007f",
            "\u2028", "\b");
    /** Instants no field reads: malformed, or a staged run that is malformed. */
    private static final List<String> MALFORMED_INSTANTS = List.of("2026-11-25", "2026-11-25T25:00:00Z",
            "yesterday", "2026-11-25 09:00:00Z", "2026-11-25T09:00:00", "NOW", "now ", " now", "2026-13-01T00:00:00Z",
            "staged:", "staged:../x", "staged:a/b", "staged:-x", "staged:" + "a".repeat(101), "Staged:" + UNKNOWN_RUN,
            "staged: " + UNKNOWN_RUN, "staged:" + UNKNOWN_RUN + "/../x", "staged:" + UNKNOWN_RUN + "\n",
            "1764064800", "P1D", "2026-11-25T10:00:00Z/2026-11-26T00:00:00Z");
    /**
     * Well-formed snapshots no read takes, now being the fuzz clock's 2026-11-25T10:00:00Z: in the future, older than
     * the 90 days history is kept, or the staged output of an unknown run.
     */
    private static final List<String> UNREADABLE_INSTANTS = List.of("2026-11-25T10:00:00.000000001Z",
            "2026-11-26T00:00:00Z", "+1000000000-12-31T23:59:59.999999999Z", "-1000000000-01-01T00:00:00Z",
            "2026-08-27T09:59:59Z", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "staged:" + UNKNOWN_RUN,
            "staged:key-0123456789abcdef01234567");
    /** Days no action takes: malformed, or the last day there is (whose next day overflows). */
    private static final List<String> BAD_DAYS = List.of("2026-02-30", "2026-4-9", "20260409", "2026-04-09T00:00:00Z",
            "2026-04-09 ", "+999999999-12-31", "-999999999-01-01T00:00:00Z", "today", "2026-W15-4", "2026-099");
    /** Gate overrides {@code publish} refuses: an unknown gate, a limit that is no percentage, a flag no boolean. */
    private static final List<Object> BAD_GATES = List.of(
            Map.of("maxRowChangePct", "10"), Map.of("maxRowChangePct", -1), Map.of("maxRowChangePct", -0.001),
            Map.of("maxRowChangePct", 10_001), Map.of("maxRowChangePct", Double.NaN),
            Map.of("maxRowChangePct", Double.POSITIVE_INFINITY), Map.of("maxRowChangePct", true),
            Map.of("maxRowChangePct", Long.MIN_VALUE), Map.of("maxMeasureChangePct", "off"),
            Map.of("maxMeasureChangePct", List.of(5)), Map.of("maxMeasureChangePct", Map.of("pct", 5)),
            Map.of("maxMeasureChangePct", Double.NEGATIVE_INFINITY), Map.of("nonEmpty", "true"),
            Map.of("nonEmpty", 1), Map.of("nonEmpty", List.of(true)), Map.of("rowChange", 5),
            Map.of("MaxRowChangePct", 5), Map.of("", 1), Map.of("nonEmpty", false, "maxRowChangePct", 5, "extra", 1),
            Map.of("nonEmpty", true, "maxRowChangePct", "5%"), Map.of("../nonEmpty", true), Map.of(1, 2),
            Map.of("nonEmpty\n", true), "strict", "", List.of(), List.of(Map.of("nonEmpty", true)), 5, true, false);
    /** Values {@code force} refuses: anything but a boolean. */
    private static final List<Object> BAD_FLAGS = List.of("true", "false", "yes", 1, 0, 1.0, List.of(true), Map.of(),
            Map.of("force", true), "");

    private final Random random;
    private final Map<String, Integer> kinds = new LinkedHashMap<>();
    /** The fields the current request's action requires: removing or nulling one is a defect. */
    private List<String> required = List.of();
    private String kind;

    /** Run ids the run actions' requests start from: the unknown one and, where the store has one, a staged run. */
    private final List<String> runIds;

    /** @param stagedRun a staged run the fuzzed store holds, which no well-formed request may act on either */
    BadPayloads(long seed, String stagedRun) {
        this.random = new Random(seed);
        this.runIds = List.of(UNKNOWN_RUN, stagedRun);
    }

    Map<String, Object> next() {
        Map<String, Object> request = base();
        kinds.merge(kind, 1, Integer::sum);
        Set<String> valid = Set.copyOf(request.keySet());
        int defects = 1 + random.nextInt(3);
        for (int i = 0; i < defects; i++) {
            defect(request, valid);
        }
        return request;
    }

    /** A well-formed request, as {@link #next()} starts from before its defects; counted under no action. */
    Map<String, Object> wellFormed() {
        return base();
    }

    /** The action (or {@code schedule}) the last request was made from, whatever its defects did to it. */
    String kind() {
        return kind;
    }

    /** Requests made so far, by the action they were made from. */
    Map<String, Integer> kinds() {
        return Map.copyOf(kinds);
    }

    private Map<String, Object> base() {
        Map<String, Object> request = new LinkedHashMap<>();
        switch (random.nextInt(15)) {
            case 0, 1 -> {
                request.put("action", random.nextBoolean() ? "backfill" : "plan");
                request.put("job", "daily_event_counts");
                request.put("start", "2026-04-09");
                request.put("end", "2026-04-30");
                required = List.of("job", "start", "end", "action");
            }
            case 2 -> {
                request.putAll(Map.of("action", pick(List.of("status", "cancel", "retry")), "runId", pick(runIds)));
                required = List.of("runId", "action");
            }
            case 3 -> {
                request.putAll(Map.of("action", "runs", "limit", 20));
                required = List.of("action");
            }
            case 4 -> {
                request.putAll(Map.of("action", "watermark", "job", "daily_event_counts"));
                required = List.of("job", "action");
            }
            case 5 -> {
                request.put("scheduledTime", "2026-07-01T06:00:00Z");
                required = List.of("scheduledTime");
            }
            case 6 -> {
                request.put("action", "redrive");
                required = List.of("action");
            }
            case 7, 8 -> read(request);
            case 9 -> {
                request.put("action", "diff");
                request.put("table", "daily_event_counts");
                request.put("start", "2026-11-01");
                request.put("end", "2026-11-20");
                request.put("before", pick(List.of("2026-11-20T00:00:00Z", "now", "2026-08-28T00:00:00Z")));
                request.put("after", pick(List.of("now", "2026-11-25T09:59:59Z", "staged:" + runIds.get(1))));
                required = List.of("table", "start", "end", "before", "after", "action");
            }
            case 10 -> {
                request.putAll(Map.of("action", "report", "runId", pick(runIds)));
                required = List.of("runId", "action");
            }
            case 11 -> {
                request.putAll(Map.of("action", "publish", "runId", pick(runIds)));
                optionally(request, "job", "daily_event_counts");
                optionally(request, "force", random.nextBoolean());
                optionally(request, "gates", pick(List.of(Map.of(), Map.of("nonEmpty", false),
                        Map.of("maxRowChangePct", 25, "maxMeasureChangePct", false),
                        Map.of("nonEmpty", true, "maxRowChangePct", 0.5, "maxMeasureChangePct", 10_000))));
                required = List.of("runId", "action");
            }
            case 12 -> {
                request.putAll(Map.of("action", "discard", "runId", pick(runIds)));
                optionally(request, "job", "daily_event_counts");
                required = List.of("runId", "action");
            }
            default -> {
                request.putAll(Map.of("action", "audit", "job", "daily_event_counts"));
                optionally(request, "day", pick(List.of("2026-11-23", "2026-11-01", "2026-04-09")));
                required = List.of("job", "action");
            }
        }
        kind = request.containsKey("action") ? (String) request.get("action") : "schedule";
        return request;
    }

    private void read(Map<String, Object> request) {
        request.put("action", "read");
        request.put("table", "daily_event_counts");
        if (random.nextBoolean()) {
            request.put("day", pick(List.of("2026-11-20", "2026-04-09", "2027-01-01")));
            required = List.of("table", "day", "action");
        } else {
            request.put("start", "2026-11-01");
            request.put("end", "2026-11-20");
            required = List.of("table", "start", "end", "action");
        }
        optionally(request, "asOf", pick(List.of("2026-11-25T09:00:00Z", "2026-08-28T00:00:00Z")));
    }

    private void optionally(Map<String, Object> request, String field, Object value) {
        if (random.nextBoolean()) {
            request.put(field, value);
        }
    }

    /** @param valid the fields of the well-formed request: removing one of them is a defect, removing others not */
    private void defect(Map<String, Object> request, Set<String> valid) {
        String field = pick(NAMES);
        switch (random.nextInt(14)) {
            case 0 -> {
                String mangled = present(request, field);
                request.put(mangled, mangled.equals("force") ? pick(BAD_FLAGS) : pick(List.of(123, true,
                        List.of("x"), Map.of("a", 1), 1.5, -7L)));
            }
            case 1 -> missing(request, valid);
            case 2 -> request.put(pick(List.of("jobb", "x", "__proto__", "../etc", "Action", "", "start ", "\u0000",
                    "gates.nonEmpty", "as_of", "Table", "runid", "days", "limit")), "1");
            case 3 -> request.put(present(request, field), "9".repeat(1 + random.nextInt(200_000)));
            case 4 -> request.put(present(request, field), "daily_event_counts".substring(0, random.nextInt(18))
                    + pick(CONTROLS) + "2026-04-09");
            case 5 -> request.put(present(request, field), pick(TRAVERSALS));
            case 6 -> range(request);
            case 7 -> request.put(pick(List.of(field, "nested", "action")), nested(1 + random.nextInt(3_000)));
            case 8 -> instant(request);
            case 9 -> day(request);
            case 10 -> request.put("gates", pick(BAD_GATES));
            case 11 -> request.put("force", pick(BAD_FLAGS));
            case 12 -> nulled(request);
            default -> request.put("action", pick(List.of("backfil", "", "BACKFILL", "../status", 7, List.of(),
                    "status\n", "a".repeat(100_000), "Read", "diff ", "publish/../discard", "audit\u0000",
                    "report.html")));
        }
    }

    /** The field to mangle: one the request has when it has one of the names, else a new (unknown) one. */
    private String present(Map<String, Object> request, String fallback) {
        List<String> present = new ArrayList<>(request.keySet());
        present.retainAll(NAMES);
        return present.isEmpty() ? fallback : pick(present);
    }

    private void missing(Map<String, Object> request, Set<String> valid) {
        for (String field : required) {
            if (valid.contains(field) && request.containsKey(field) && random.nextBoolean()) {
                request.remove(field);
                return;
            }
        }
        request.clear();
    }

    /** A required field present as JSON {@code null}, which must read as missing. */
    private void nulled(Map<String, Object> request) {
        request.put(pick(required), null);
    }

    /**
     * A bad instant in a field that reads one, {@code asOf}, {@code before}, {@code after} or {@code scheduledTime}
     * (or, where the action takes no such field, an unknown field).
     */
    private void instant(Map<String, Object> request) {
        List<String> present = new ArrayList<>(request.keySet());
        present.retainAll(INSTANTS);
        String field = present.isEmpty() ? pick(List.of("asOf", "before", "after")) : pick(present);
        List<String> values = new ArrayList<>(MALFORMED_INSTANTS);
        if (!field.equals("scheduledTime")) {
            values.addAll(UNREADABLE_INSTANTS); // a schedule may fire at any instant
        }
        if (!field.equals("before") && !field.equals("after")) {
            values.add("now"); // a snapshot's word, not an instant
        }
        request.put(field, pick(values));
    }

    /** A bad day: in {@code day} (where {@code audit} also refuses a day that has not ended), or an unknown field. */
    private void day(Map<String, Object> request) {
        List<String> values = new ArrayList<>(BAD_DAYS);
        if ("audit".equals(request.get("action"))) {
            values.addAll(List.of("2026-11-24", "2026-11-25", "2027-01-01"));
        }
        request.put("day", pick(values));
    }

    private void range(Map<String, Object> request) {
        request.putIfAbsent("action", "backfill");
        switch (random.nextInt(6)) {
            case 0 -> request.putAll(Map.of("start", "2026-04-30", "end", "2026-04-09"));
            case 1 -> request.putAll(Map.of("start", "1900-01-01", "end", "2100-01-01"));
            case 2 -> request.putAll(Map.of("start", "2026-04-09", "end", "9999-12-31"));
            case 3 -> request.putAll(Map.of("start", "2026-04-09", "end", "2026-04-09"));
            case 4 -> request.putAll(Map.of("start", "-999999999-01-01", "end", "+999999999-12-31"));
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
