package dev.backfill.dispatch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.InvalidRequestException;
import dev.backfill.Json;
import dev.backfill.window.Window;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The body of one queue message: one window of one run.
 * <pre>{"v":1,"runId":..,"job":..,"window":{"label":..,"start":..,"end":..},"fence":..}</pre>
 * The fence orders runs: a later run of the same partition always wins. Two optional members, absent from a plain
 * run's message (and from every message written before they existed, which still parse):
 * {@code "publish":"staged"} commits the window to the run's staged manifest instead of the live partition, and
 * {@code "inputsAsOf":"<instant>"} makes the job read each input as it was at that instant.
 *
 * @param publish    {@code null} for {@link Publish#DIRECT}, so a plain message keeps its documented shape
 * @param inputsAsOf the instant whose input versions the job reads, or {@code null} for the current ones
 */
public record WindowMessage(int v, String runId, String job, Window window, long fence,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Publish publish,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Instant inputsAsOf) {

    public static final int VERSION = 1;
    /** What ends up in ledger and partition keys must not be able to escape them: no '/', '..' or control characters. */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,99}");
    private static final Pattern JOB = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern LABEL = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(T\\d{2}(-repeat)?)?");

    public WindowMessage {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(window, "window");
        publish = publish == Publish.DIRECT ? null : publish;
    }

    /** A plain window message: direct publish, current inputs. */
    public static WindowMessage of(String runId, String job, Window window, long fence) {
        return new WindowMessage(VERSION, runId, job, window, fence, null, null);
    }

    /** This message with a publish mode and an inputs instant ({@code null}: current inputs). */
    public WindowMessage with(Publish mode, Instant asOf) {
        return new WindowMessage(v, runId, job, window, fence, mode, asOf);
    }

    /** How the window reaches the table; {@link Publish#DIRECT} when the message does not say. */
    public Publish publishMode() {
        return publish == null ? Publish.DIRECT : publish;
    }

    public String toJson() {
        return Json.writeString(this);
    }

    /**
     * Reads a message body.
     *
     * @throws InvalidRequestException if the body is not a version-1 window message; such a message never succeeds
     */
    public static WindowMessage parse(String body) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new InvalidRequestException("Malformed window message: not JSON");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidRequestException("Malformed window message: not a JSON object");
        }
        JsonNode version = json.get("v");
        if (version == null || !version.isInt()) {
            throw new InvalidRequestException("Malformed window message: 'v' must be an integer version");
        }
        int v = version.asInt();
        if (v != VERSION) {
            throw new InvalidRequestException("Unsupported window message version " + v
                    + " (this worker reads version " + VERSION + ")");
        }
        JsonNode window = json.path("window");
        try {
            return new WindowMessage(v, checked(json, "runId", RUN_ID), checked(json, "job", JOB),
                    new Window(checked(window, "label", LABEL), Instant.parse(text(window, "start")),
                            Instant.parse(text(window, "end"))),
                    number(json, "fence"), publish(json), optionalInstant(json, "inputsAsOf"));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new InvalidRequestException("Malformed window message: " + e.getMessage());
        }
    }

    private static Publish publish(JsonNode json) {
        JsonNode value = json.get("publish");
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Publish.of(value.asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Malformed window message: 'publish' must be direct or staged, not '"
                    + InvalidRequestException.shown(value.asText()) + "'");
        }
    }

    private static Instant optionalInstant(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : Instant.parse(text(json, field));
    }

    private static String checked(JsonNode json, String field, Pattern format) {
        String value = text(json, field);
        if (!format.matcher(value).matches()) {
            throw new InvalidRequestException("Malformed window message: '" + field + "' must match "
                    + format.pattern() + ", not '" + InvalidRequestException.shown(value) + "'");
        }
        return value;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidRequestException("Malformed window message: '" + field + "' must be a non-blank string");
        }
        return value.asText();
    }

    private static long number(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.canConvertToExactIntegral() || value.asLong() < 0) {
            throw new InvalidRequestException("Malformed window message: '" + field + "' must be a non-negative integer");
        }
        return value.asLong();
    }
}
