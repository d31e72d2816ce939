package dev.backfill.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backfill.BackfillException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The events of one decompressed input object, one JSON object per line, read straight from the bytes. A line of the
 * usual shape — one object of plain ASCII strings (no escapes), integers and literals — is scanned in place: only
 * {@code ts}, {@code type}, {@code user} and {@code amount_cents} are located, nothing is decoded or allocated. Any
 * other line is read as a tree ({@code readTree}, then {@code get("type").asText()}, {@code get("user").asText()},
 * {@code path("amount_cents").asLong(0)}, and {@code ts} as text, or null when missing or JSON null), as the job always
 * read every line, which decides what it means or fails with the line's number. The scan accepts only lines whose meaning cannot differ from the tree's.
 */
final class EventLines {

    /** Receives each event of the object, in order; the event is valid only during the call. */
    @FunctionalInterface
    interface EventSink {
        void accept(Event event);
    }

    /**
     * One event. Its {@code type} and {@code user} are byte strings, equal exactly when the values are equal: their
     * UTF-8 bytes, or — for a value holding a lone surrogate, which UTF-8 cannot carry — a 0xFF byte (never in UTF-8)
     * and the UTF-16 code units.
     */
    static final class Event {
        byte[] typeBytes;
        int typeFrom;
        int typeLength;
        byte[] userBytes;
        int userFrom;
        int userLength;
        long amountCents;
        private byte[] tsBytes;
        private int tsFrom;
        private int tsLength;
        private String typeText;
        private String tsText;

        /** The event's {@code ts} as text, decoded on each call; null when it has none or it is JSON null. */
        String ts() {
            if (tsText != null || tsBytes == null) {
                return tsText;
            }
            return new String(tsBytes, tsFrom, tsLength, StandardCharsets.ISO_8859_1);
        }

        /** The type as text; decoded on each call, so call it once per distinct type. */
        String type() {
            return typeText != null ? typeText
                    : new String(typeBytes, typeFrom, typeLength, StandardCharsets.ISO_8859_1);
        }

        /** Whether the type is {@code bytes}; a plain loop, as {@link EventLines#is} (types are a few bytes). */
        boolean typeEquals(byte[] bytes) {
            if (bytes.length != typeLength) {
                return false;
            }
            for (int i = 0; i < bytes.length; i++) {
                if (typeBytes[typeFrom + i] != bytes[i]) {
                    return false;
                }
            }
            return true;
        }

        byte[] typeCopy() {
            return Arrays.copyOfRange(typeBytes, typeFrom, typeFrom + typeLength);
        }
    }

    /** Eight bytes of a byte array as one little-endian long (a bounds-checked load, no Unsafe). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private static final int BUFFER_BYTES = 256 * 1024;
    /** The longest line read; longer ones are refused rather than held in memory. */
    static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

    private static final byte[] TS = bytes("ts");
    private static final byte[] TYPE = bytes("type");
    private static final byte[] USER = bytes("user");
    private static final byte[] AMOUNT = bytes("amount_cents");
    private static final long TS_ = littleEndian("ts\":\"");
    private static final long TYPE_ = littleEndian("type\":\"");
    private static final long USER_ = littleEndian("user\":\"");
    private static final long AMOUNT_C = littleEndian("amount_c");
    private static final long ENTS_ = littleEndian("ents\":");
    private static final byte[] TRUE = bytes("true");
    private static final byte[] FALSE = bytes("false");
    private static final byte[] NULL = bytes("null");

    private final ObjectMapper mapper;
    private final String key;
    private final Event scanned = new Event();
    private final Event decoded = new Event();

    /** @param key the object's key, named in error messages */
    EventLines(ObjectMapper mapper, String key) {
        this.mapper = mapper;
        this.key = key;
    }

    /**
     * Reads every line of {@code in} and passes each event to {@code sink}, skipping blank lines.
     *
     * @return the lines read, blank ones included, counted as {@link BufferedReader#readLine()} counts them
     * @throws BackfillException if a line is not JSON, or not an object with non-null {@code type} and {@code user}
     */
    long read(InputStream in, EventSink sink) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        int start = 0;
        int end = 0;
        int searched = 0;
        long lines = 0;
        while (true) {
            int newline = indexOfNewline(buffer, searched, end);
            if (newline >= 0) {
                lines += line(buffer, start, newline, lines, sink);
                start = newline + 1;
                // The lines that follow, while they are of the usual shape and whole in the buffer: one pass over
                // their bytes, the scan finding the newline that ends each (it stops at any byte a line cannot hold).
                for (int next; (next = scanLine(buffer, start, end)) >= 0; start = next + 1) {
                    sink.accept(scanned);
                    lines++;
                }
                searched = start;
                continue;
            }
            searched = end;
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                searched -= start;
                start = 0;
            }
            if (end == buffer.length) {
                if (buffer.length >= MAX_LINE_BYTES) {
                    throw new BackfillException("Malformed event in " + key + " at line " + (lines + 1)
                            + ": longer than " + MAX_LINE_BYTES + " bytes");
                }
                buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_LINE_BYTES));
            }
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                if (end > 0) {
                    lines += line(buffer, 0, end, lines, sink);
                }
                return lines;
            }
            end += read;
        }
    }

    private static int indexOfNewline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** One line, {@code [from, to)} without its {@code \n}; returns how many lines it is (a lone CR ends one too). */
    private long line(byte[] bytes, int from, int to, long linesBefore, EventSink sink) throws IOException {
        if (to > from && bytes[to - 1] == '\r') {
            to--; // CR LF ends one line, as a lone CR would
        }
        int first = whitespace(bytes, from, to);
        if (first == to) {
            return 1;
        }
        if (scan(bytes, first, to) == to) {
            sink.accept(scanned);
            return 1;
        }
        return asTrees(new String(bytes, from, to - from, StandardCharsets.UTF_8), linesBefore, sink);
    }

    /**
     * The line at {@code from} scanned in place into {@link #scanned}, if it is of the usual shape and ends in the
     * buffer's {@code [from, end)}: the index of its {@code \n}; -1 otherwise (the line is left to {@link #line}). A
     * line can hold a newline nowhere the scan accepts a byte, so the scan stops at the newline that ends the line.
     */
    private int scanLine(byte[] b, int from, int end) {
        int p = scan(b, whitespace(b, from, end), end);
        if (p < 0 || p >= end) {
            return -1;
        }
        if (b[p] == '\n') {
            return p;
        }
        // CR LF ends one line, as in line(); a lone CR would end one too, which the tree counts.
        return b[p] == '\r' && p + 1 < end && b[p + 1] == '\n' ? p + 1 : -1;
    }

    /**
     * Locates the four fields of an object of the usual shape at {@code p} in {@link #scanned}: the index after the
     * object and the spaces and tabs that follow it (the end of a line ending there), or -1 for anything else. It reads
     * nothing at or after {@code end}, and stops at any byte a line cannot hold outside a string.
     */
    private int scan(byte[] b, int p, int end) {
        Event event = scanned;
        event.typeText = null;
        event.tsText = null;
        event.tsBytes = null;
        event.typeBytes = b;
        event.userBytes = b;
        event.typeFrom = -1;
        event.userFrom = -1;
        event.amountCents = 0;
        if (p >= end || b[p] != '{') {
            return -1;
        }
        p = whitespace(b, p + 1, end);
        while (p < end && b[p] == '"') {
            int nameFrom = p + 1;
            byte[] name;
            // The four names as they usually come, closing quote and colon included (and the value's opening quote
            // for the three strings), matched in the eight bytes after the opening quote (0 where fewer are left,
            // which matches none): p then stands where the steps below would leave it, found in a load or two.
            long ahead = nameFrom <= end - Long.BYTES ? (long) LONGS.get(b, nameFrom) : 0;
            if ((ahead & 0xFF_FFFF_FFFFL) == TS_) {
                name = TS;
                p = nameFrom + 4;
            } else if ((ahead & 0xFF_FFFF_FFFF_FFFFL) == TYPE_) {
                name = TYPE;
                p = nameFrom + 6;
            } else if ((ahead & 0xFF_FFFF_FFFF_FFFFL) == USER_) {
                name = USER;
                p = nameFrom + 6;
            } else if (ahead == AMOUNT_C && nameFrom <= end - 2 * Long.BYTES
                    && ((long) LONGS.get(b, nameFrom + Long.BYTES) & 0xFFFF_FFFF_FFFFL) == ENTS_) {
                name = AMOUNT;
                p = whitespace(b, nameFrom + AMOUNT.length + 2, end);
                if (p >= end) {
                    return -1;
                }
            } else {
                p = closingQuote(b, nameFrom, end);
                if (p < 0) {
                    return -1;
                }
                name = name(b, nameFrom, p - nameFrom);
                p = whitespace(b, p + 1, end);
                if (p >= end || b[p] != ':') {
                    return -1;
                }
                p = whitespace(b, p + 1, end);
                if (p >= end) {
                    return -1;
                }
            }
            byte c = b[p];
            if (c == '"') {
                int valueFrom = p + 1;
                p = closingQuote(b, valueFrom, end);
                if (p < 0 || name == AMOUNT) {
                    return -1;
                }
                if (name == TYPE) {
                    event.typeFrom = valueFrom;
                    event.typeLength = p - valueFrom;
                } else if (name == USER) {
                    event.userFrom = valueFrom;
                    event.userLength = p - valueFrom;
                } else if (name == TS) {
                    event.tsBytes = b;
                    event.tsFrom = valueFrom;
                    event.tsLength = p - valueFrom;
                }
                p++;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                int digits = c == '-' ? p + 1 : p;
                int q = digits;
                long value = 0;
                while (q < end && b[q] >= '0' && b[q] <= '9') {
                    value = value * 10 + (b[q] - '0');
                    q++;
                }
                if (q == digits || q - digits > 18 || (q - digits > 1 && b[digits] == '0')
                        || (q < end && (b[q] == '.' || b[q] == 'e' || b[q] == 'E'))
                        || name == TYPE || name == USER || name == TS) {
                    return -1;
                }
                if (name == AMOUNT) {
                    event.amountCents = c == '-' ? -value : value;
                }
                p = q;
            } else {
                int literal = name == null ? literal(b, p, end) : 0;
                if (literal == 0) {
                    return -1;
                }
                p += literal;
            }
            p = whitespace(b, p, end);
            if (p >= end) {
                return -1;
            }
            if (b[p] == '}') {
                return event.typeFrom >= 0 && event.userFrom >= 0 ? whitespace(b, p + 1, end) : -1;
            }
            if (b[p] != ',') {
                return -1;
            }
            p = whitespace(b, p + 1, end);
        }
        return -1;
    }

    /** One of the four names read, as its constant; null for any other name. */
    private static byte[] name(byte[] b, int from, int length) {
        return switch (length) {
            case 2 -> is(b, from, TS) ? TS : null;
            case 4 -> is(b, from, TYPE) ? TYPE : is(b, from, USER) ? USER : null;
            case 12 -> is(b, from, AMOUNT) ? AMOUNT : null;
            default -> null;
        };
    }

    /**
     * Whether {@code b} holds {@code ascii} at {@code from}, which leaves room for it. A plain loop: for the few bytes
     * of a name, {@code Arrays.equals} costs more in its setup than in comparing.
     */
    private static boolean is(byte[] b, int from, byte[] ascii) {
        for (int i = 0; i < ascii.length; i++) {
            if (b[from + i] != ascii[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index of the string's closing quote; -1 if it holds an escape, a control or a non-ASCII byte. Eight bytes at
     * a time where eight are left (SWAR: one little-endian long, each byte's high bit set where it stops the string; a
     * borrow can only carry upwards from a byte that stops it, so the lowest bit set is exact), then byte by byte.
     */
    static int closingQuote(byte[] b, int p, int end) {
        for (; p <= end - Long.BYTES; p += Long.BYTES) {
            long x = (long) LONGS.get(b, p);
            long quote = x ^ (ONES * '"');
            long backslash = x ^ (ONES * '\\');
            long stops = ((quote - ONES) & ~quote // a byte that is '"' (a zero byte of x ^ '"')
                    | (backslash - ONES) & ~backslash // '\\'
                    | (x - ONES * 0x20) // below 0x20
                    | x) // 0x80 and up
                    & HIGHS;
            if (stops != 0) {
                int stop = p + (Long.numberOfTrailingZeros(stops) >>> 3);
                return b[stop] == '"' ? stop : -1;
            }
        }
        for (; p < end; p++) {
            byte c = b[p];
            if (c == '"') {
                return p;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
        }
        return -1;
    }

    /** The length of {@code true}, {@code false} or {@code null} at {@code p}; 0 for anything else. */
    private static int literal(byte[] b, int p, int end) {
        byte[] literal = b[p] == 't' ? TRUE : b[p] == 'f' ? FALSE : b[p] == 'n' ? NULL : null;
        return literal != null && end - p >= literal.length && is(b, p, literal) ? literal.length : 0;
    }

    private static int whitespace(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** The reference: each line read as a tree, as the job always did. */
    private long asTrees(String text, long linesBefore, EventSink sink) throws IOException {
        long lines = 0;
        BufferedReader reader = new BufferedReader(new StringReader(text));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines++;
            if (!line.isBlank()) {
                JsonNode event = tree(line, linesBefore + lines);
                String type = event.get("type").asText();
                decoded.typeText = type;
                decoded.typeBytes = exact(type);
                decoded.typeFrom = 0;
                decoded.typeLength = decoded.typeBytes.length;
                decoded.userBytes = exact(event.get("user").asText());
                decoded.userFrom = 0;
                decoded.userLength = decoded.userBytes.length;
                decoded.amountCents = event.path("amount_cents").asLong(0);
                JsonNode ts = event.get("ts");
                decoded.tsBytes = null;
                decoded.tsText = ts == null || ts.isNull() ? null : ts.asText();
                sink.accept(decoded);
            }
        }
        // A CR at the end ends one more line, blank (the CR LF or CR ending the text ended the line before it).
        return text.endsWith("\r") ? lines + 1 : lines;
    }

    /** UTF-8; or, for text with a lone surrogate, 0xFF and its UTF-16 code units, so distinct texts stay distinct. */
    private static byte[] exact(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // By hand: every charset encoder replaces a lone surrogate, which would make distinct texts equal.
                byte[] marked = new byte[1 + 2 * text.length()];
                marked[0] = (byte) 0xFF;
                for (int j = 0; j < text.length(); j++) {
                    marked[1 + 2 * j] = (byte) (text.charAt(j) >>> 8);
                    marked[2 + 2 * j] = (byte) text.charAt(j);
                }
                return marked;
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
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

    private static long littleEndian(String ascii) {
        return ByteStringIds.littleEndian(bytes(ascii), 0, ascii.length());
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
