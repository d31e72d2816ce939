package dev.backfill.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backfill.BackfillException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.Arrays;

/**
 * The events of one decompressed input object, one JSON object per line, streamed: blocks of whole lines go through
 * one Jackson {@link JsonParser} each, and only {@code ts}, {@code type}, {@code user} and {@code amount_cents} are
 * read; every other value is skipped, never built. The result is that of reading each line as a tree
 * ({@code readTree}, then {@code get("type").asText()}, {@code get("user").asText()},
 * {@code path("amount_cents").asLong(0)}, and {@code ts} as text or null when missing or JSON null), which decides
 * whenever a block holds anything else than one well-formed object per line with both names present: such a block is
 * read again that way, line by line, and fails with the same message at the same line.
 */
final class EventLines {

    /** Receives each event of the object, in order. */
    @FunctionalInterface
    interface EventSink {
        /** @param ts the event's {@code ts} as text; null when it has none */
        void accept(String ts, String type, String user, long amountCents);
    }

    private final ObjectMapper mapper;
    private final String key;
    private final int maxStringLength;
    private final Pending pending = new Pending();

    /** @param key the object's key, named in error messages */
    EventLines(ObjectMapper mapper, String key) {
        this.mapper = mapper;
        this.key = key;
        this.maxStringLength = mapper.getFactory().streamReadConstraints().getMaxStringLength();
    }

    /**
     * Reads every line of {@code in} and passes each event to {@code sink}, skipping blank lines.
     *
     * @return the lines read, blank ones included, counted as {@link BufferedReader#readLine()} counts them
     * @throws BackfillException if a line is not JSON, or not an object with non-null {@code type} and {@code user}
     */
    long read(InputStream in, EventSink sink) throws IOException {
        LineBlocks blocks = new LineBlocks(in);
        long lines = 0;
        while (blocks.next()) {
            pending.clear();
            if (streamed(blocks)) {
                pending.passTo(sink);
                lines += blocks.lines();
            } else {
                lines += lineByLine(blocks.toString(), lines, sink);
            }
        }
        return lines;
    }

    /**
     * Parses a block with one parser into {@link #pending}; false when the block is anything else than one object
     * per line, each with non-null {@code type} and {@code user}.
     */
    private boolean streamed(LineBlocks block) {
        // A byte order mark is left to the line reader, which sees it where the tree would; so is a line longer
        // than the longest string Jackson reads, which the tree would refuse even where the parser skips it.
        if (block.length() > maxStringLength || block.contains('\uFEFF')) {
            return false;
        }
        try (JsonParser parser = mapper.createParser(block.chars(), 0, block.length())) {
            int lastLine = 0;
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                int line = tokenLine(parser);
                if (token != JsonToken.START_OBJECT || line <= lastLine || !event(parser)
                        || tokenLine(parser) != line) {
                    return false;
                }
                lastLine = line;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The line the current token starts on; without allocating where the parser allows. */
    private static int tokenLine(JsonParser parser) {
        return parser instanceof ParserBase base ? base.getTokenLineNr() : parser.currentTokenLocation().getLineNr();
    }

    /** Reads one object's fields, the parser on its start; false if {@code type} or {@code user} is missing. */
    private boolean event(JsonParser parser) throws IOException {
        String ts = null;
        String type = null;
        String user = null;
        long amountCents = 0;
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken value = parser.nextToken();
            switch (name) {
                case "ts" -> ts = text(parser, value);
                case "type" -> type = text(parser, value);
                case "user" -> user = text(parser, value);
                case "amount_cents" -> amountCents = number(parser, value);
                default -> parser.skipChildren();
            }
        }
        if (type == null || user == null) {
            return false;
        }
        pending.add(ts, type, user, amountCents);
        return true;
    }

    /** The value as {@code JsonNode.asText()} gives it; null for JSON null. */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        JsonNode node = parser.readValueAsTree();
        return node == null || node.isNull() ? null : node.asText();
    }

    /** The value as {@code JsonNode.asLong(0)} gives it. */
    private static long number(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        JsonNode node = parser.readValueAsTree();
        return node == null ? 0 : node.asLong(0);
    }

    /** The reference: each line read as a tree, as the job always did; it decides blocks the parser did not take. */
    private long lineByLine(String text, long linesBefore, EventSink sink) throws IOException {
        long lines = 0;
        BufferedReader reader = new BufferedReader(new StringReader(text));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines++;
            if (!line.isBlank()) {
                JsonNode event = tree(line, linesBefore + lines);
                JsonNode ts = event.get("ts");
                sink.accept(ts == null || ts.isNull() ? null : ts.asText(), event.get("type").asText(),
                        event.get("user").asText(), event.path("amount_cents").asLong(0));
            }
        }
        return lines;
    }

    private JsonNode tree(String line, long lineNumber) {
        try {
            JsonNode event = mapper.readTree(line);
            if (event == null || !event.isObject() || !event.hasNonNull("type") || !event.hasNonNull("user")) {
                throw new BackfillException(
                        "Malformed event in " + key + " at line " + lineNumber + ": 'type' and 'user' are required");
            }
            return event;
        } catch (IOException e) {
            throw new BackfillException("Malformed event in " + key + " at line " + lineNumber + ": not JSON");
        }
    }

    /** The events of the block being parsed, passed on only once the whole block parsed. */
    private static final class Pending {

        private String[] times = new String[1024];
        private String[] types = new String[1024];
        private String[] users = new String[1024];
        private long[] amounts = new long[1024];
        private int size;

        void clear() {
            Arrays.fill(times, 0, size, null);
            Arrays.fill(types, 0, size, null);
            Arrays.fill(users, 0, size, null);
            size = 0;
        }

        void add(String ts, String type, String user, long amountCents) {
            if (size == types.length) {
                times = Arrays.copyOf(times, size * 2);
                types = Arrays.copyOf(types, size * 2);
                users = Arrays.copyOf(users, size * 2);
                amounts = Arrays.copyOf(amounts, size * 2);
            }
            times[size] = ts;
            types[size] = type;
            users[size] = user;
            amounts[size++] = amountCents;
        }

        void passTo(EventSink sink) {
            for (int i = 0; i < size; i++) {
                sink.accept(times[i], types[i], users[i], amounts[i]);
            }
        }
    }
}
