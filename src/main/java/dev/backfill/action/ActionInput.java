package dev.backfill.action;

import dev.backfill.InvalidRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One dispatcher request's fields, read with checks: every refusal names the field and the value at fault, and an
 * action first declares its fields, so an unknown one is refused before anything is read.
 */
public final class ActionInput {

    /** Run ids as the dispatcher makes them: letters, digits, {@code -} and {@code _}; no {@code /} or {@code ..}. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final int MAX_TEXT = 256;

    private final String action;
    private final Map<String, ?> fields;

    /**
     * @param fields the request's fields; one that is JSON {@code null} reads as absent, though {@link #allow} still
     *               refuses it when the action does not take it
     */
    public ActionInput(String action, Map<String, ?> fields) {
        this.action = action;
        this.fields = Collections.unmodifiableMap(new HashMap<>(fields));
    }

    public String action() {
        return action;
    }

    /**
     * Declares the fields this action takes besides {@code action}.
     *
     * @throws InvalidRequestException naming the unknown fields and the allowed ones
     */
    public ActionInput allow(String... names) {
        Set<String> allowed = new TreeSet<>(Arrays.asList(names));
        allowed.add("action");
        Set<String> unknown = new TreeSet<>(fields.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("Unknown field(s) " + unknown.stream().map(InvalidRequestException::shown)
                    .toList() + " for action '" + action
                    + "'; allowed: " + allowed);
        }
        return this;
    }

    public boolean has(String field) {
        return fields.get(field) != null;
    }

    /** A required string: non-blank, at most 256 characters, no control characters. */
    public String text(String field) {
        return optionalText(field).orElseThrow(() -> new InvalidRequestException("Missing field '" + field + "'"));
    }

    public Optional<String> optionalText(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new InvalidRequestException("Field '" + field + "' must be a string, not "
                    + value.getClass().getSimpleName());
        }
        if (text.isBlank() || text.length() > MAX_TEXT || text.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("Field '" + field + "' must be 1 to " + MAX_TEXT
                    + " characters without control characters: '" + InvalidRequestException.shown(text) + "'");
        }
        return Optional.of(text);
    }

    /** A run id as the dispatcher makes them. */
    public String runId(String field) {
        String value = text(field);
        if (!RUN_ID.matcher(value).matches()) {
            throw new InvalidRequestException("Malformed " + field + " '" + InvalidRequestException.shown(value)
                    + "' (expected a run id such as 20261125T144019Z-3d187b)");
        }
        return value;
    }

    public LocalDate date(String field) {
        return optionalDate(field).orElseThrow(() -> new InvalidRequestException("Missing " + field
                + " date (expected yyyy-MM-dd)"));
    }

    public Optional<LocalDate> optionalDate(String field) {
        return optionalText(field).map(text -> {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("Malformed " + field + " date '" + InvalidRequestException.shown(text)
                        + "' (expected yyyy-MM-dd)");
            }
        });
    }

    public Optional<Instant> optionalInstant(String field) {
        return optionalText(field).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidRequestException("Malformed " + field + " '" + InvalidRequestException.shown(text)
                        + "' (expected an ISO instant such as 2026-11-25T02:00:00Z)");
            }
        });
    }

    /** One of an enum's constants, by its lowercase name; {@code otherwise} when the field is absent. */
    public <E extends Enum<E>> E choice(String field, Class<E> type, E otherwise) {
        Optional<String> text = optionalText(field);
        if (text.isEmpty()) {
            return otherwise;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(text.get())) {
                return constant;
            }
        }
        Set<String> allowed = new TreeSet<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT));
        }
        throw new InvalidRequestException("Unknown " + field + " '" + InvalidRequestException.shown(text.get())
                + "'; allowed: " + allowed);
    }

    /** A whole number in [min, max]; {@code otherwise} when the field is absent. */
    public int integer(String field, int min, int max, int otherwise) {
        Object value = fields.get(field);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw new InvalidRequestException("Field '" + field + "' must be a whole number from " + min + " to "
                    + max + ", not " + InvalidRequestException.shown(String.valueOf(value)));
        }
        return ((Number) value).intValue();
    }

    /** A nested object's fields, read with the same checks (refusals name {@code field.member}); empty when absent. */
    public Optional<ActionInput> object(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map) || !map.keySet().stream().allMatch(String.class::isInstance)) {
            throw new InvalidRequestException("Field '" + field + "' must be a JSON object, not "
                    + InvalidRequestException.shown(String.valueOf(value)));
        }
        Map<String, Object> members = new java.util.HashMap<>();
        map.forEach((key, member) -> {
            if (member != null) {
                members.put(field + "." + key, member);
            }
        });
        return Optional.of(new ActionInput(action, members));
    }

    /**
     * A percentage limit: a number from 0 to 10,000, or {@code false} for no limit ({@code Optional.empty()});
     * {@code otherwise} when the field is absent.
     */
    public Optional<Double> percentOrOff(String field, Optional<Double> otherwise) {
        Object value = fields.get(field);
        if (value == null) {
            return otherwise;
        }
        if (Boolean.FALSE.equals(value)) {
            return Optional.empty();
        }
        if (!(value instanceof Number number) || !(number.doubleValue() >= 0) || number.doubleValue() > 10_000) {
            throw new InvalidRequestException("Field '" + field + "' must be a percentage from 0 to 10000, or false "
                    + "for no limit, not " + InvalidRequestException.shown(String.valueOf(value)));
        }
        return Optional.of(number.doubleValue());
    }

    /** A boolean; {@code otherwise} when absent. */
    public boolean flag(String field, boolean otherwise) {
        return has(field) ? flag(field) : otherwise;
    }

    /** A boolean; false when absent. */
    public boolean flag(String field) {
        Object value = fields.get(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean bool)) {
            throw new InvalidRequestException("Field '" + field + "' must be true or false, not "
                    + InvalidRequestException.shown(String.valueOf(value)));
        }
        return bool;
    }
}
