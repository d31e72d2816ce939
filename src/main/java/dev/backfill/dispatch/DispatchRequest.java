package dev.backfill.dispatch;

import dev.backfill.InvalidRequestException;
import dev.backfill.window.WindowRange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** What the dispatcher is asked to do, decoded and checked from its JSON input. */
public sealed interface DispatchRequest {

    /** {@code {"action":"backfill","job":..,"start":..,"end":..}}: every day in [start, end). */
    record Backfill(String job, WindowRange range) implements DispatchRequest {
        public Backfill {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(range, "range");
        }
    }

    /** {@code {"scheduledTime":..}} from EventBridge Scheduler: the logical day before the scheduled time. */
    record Scheduled(Instant scheduledTime) implements DispatchRequest {
        public Scheduled {
            Objects.requireNonNull(scheduledTime, "scheduledTime");
        }
    }

    Set<String> BACKFILL_FIELDS = Set.of("action", "job", "start", "end");
    Set<String> ACTIONS = Set.of("backfill");

    /**
     * Decodes the dispatcher's input.
     *
     * @throws InvalidRequestException naming the field and value at fault
     */
    static DispatchRequest parse(Map<String, ?> input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidRequestException("Empty request: expected {\"action\":\"backfill\",...} "
                    + "or {\"scheduledTime\":...}");
        }
        if (!input.containsKey("action") && input.containsKey("scheduledTime")) {
            return scheduled(input);
        }
        String action = string(input, "action");
        if (!ACTIONS.contains(action)) {
            throw new InvalidRequestException("Unknown action '" + InvalidRequestException.shown(action) + "'; supported: " + ACTIONS);
        }
        Set<String> unknown = new TreeSet<>(input.keySet());
        unknown.removeAll(BACKFILL_FIELDS);
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("Unknown field(s) " + unknown + " for action 'backfill'; allowed: "
                    + new TreeSet<>(BACKFILL_FIELDS));
        }
        return new Backfill(string(input, "job"), WindowRange.parse(string(input, "start"), string(input, "end")));
    }

    private static Scheduled scheduled(Map<String, ?> input) {
        String value = string(input, "scheduledTime");
        try {
            return new Scheduled(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("Malformed scheduledTime '" + InvalidRequestException.shown(value)
                    + "' (expected an ISO instant such as 2026-11-25T02:00:00Z)");
        }
    }

    private static String string(Map<String, ?> input, String field) {
        Object value = input.get(field);
        if (value == null) {
            throw new InvalidRequestException("Missing field '" + field + "'");
        }
        if (!(value instanceof String text)) {
            throw new InvalidRequestException("Field '" + field + "' must be a string, not "
                    + value.getClass().getSimpleName());
        }
        return text;
    }
}
