package dev.backfill.example;

import dev.backfill.job.JobContext;
import dev.backfill.job.JobResult;
import dev.backfill.job.ObjectStoreSourceReader;
import dev.backfill.job.WindowJob;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.store.InMemoryObjectStore;
import dev.backfill.testing.CapturingSink;
import dev.backfill.window.Window;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streamed job reads exactly what the job read when it parsed every line as a tree: the same counts, rows and
 * output bytes, or the same failure at the same line, on lines chosen to be awkward.
 */
class DailyEventCountsStreamingTest {

    private static final Window APR_09 = Window.day(LocalDate.of(2026, 4, 9), ZoneOffset.UTC);
    private static final String FILE = "raw/events/dt=2026-04-09/events-0000.jsonl.gz";
    private static final String VIEW =
            "{\"ts\":\"2026-04-09T08:00:00Z\",\"user\":\"u1\",\"type\":\"view\",\"amount_cents\":0}";

    static Stream<Arguments> awkwardInputs() {
        return Stream.of(
                lines("fields in any order", "{\"amount_cents\":700,\"type\":\"refund\",\"user\":\"u2\",\"ts\":\"x\"}",
                        "{\"user\":\"u3\",\"amount_cents\":-5,\"type\":\"purchase\"}", VIEW),
                lines("unknown fields, nested objects and arrays that hold the same names",
                        "{\"meta\":{\"type\":\"x\",\"user\":\"y\",\"amount_cents\":9},\"type\":\"view\","
                                + "\"user\":\"u1\",\"tags\":[\"a\",{\"user\":\"z\"},[[]]],\"n\":null,"
                                + "\"f\":1.5e3,\"b\":true}",
                        "{\"type\":\"cart\",\"deep\":{\"a\":{\"b\":{\"type\":\"refund\"}}},\"user\":\"u9\"}"),
                lines("escaped strings",
                        "{\"type\":\"vi\\u0065w\",\"user\":\"u\\\"1\\\\\\n\\t\\/\",\"amount_cents\":1}",
                        "{\"type\":\"view\",\"user\":\"\\ud83d\\ude00\",\"ts\":\"\\u00e9\\\"}\\\"\"}"),
                lines("non-ASCII text", "{\"type\":\"view\",\"user\":\"Jürgen\"}",
                        "{\"type\":\"vue\",\"user\":\"用户\"}",
                        "{\"type\":\"view\",\"user\":\"😀\"}"),
                lines("repeated names, the last wins", "{\"type\":\"cart\",\"type\":\"view\",\"user\":\"u1\"}",
                        "{\"type\":null,\"type\":\"cart\",\"user\":\"u1\",\"user\":\"u2\",\"amount_cents\":1,"
                                + "\"amount_cents\":2}"),
                lines("type and user of other JSON types", "{\"type\":5,\"user\":true}",
                        "{\"type\":{\"a\":1},\"user\":[1,2]}", "{\"type\":-0,\"user\":1.50}",
                        "{\"type\":1e2,\"user\":12345678901234567890123}"),
                lines("amounts of other JSON types", "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":\"12\"}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":12.9}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":123456789012345678901234567890}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":null}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":true}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":{\"v\":3}}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":\"x\"}"),
                lines("blank lines of every kind", "", VIEW, "   ", "\t", "\u2003", VIEW, ""),
                text("CR LF and lone CR line ends", VIEW + "\r\n\r\n" + VIEW + "\r" + VIEW + "\r\n{bad\r\n"),
                text("no newline at the end", VIEW + "\n" + VIEW),
                text("empty object file", ""),
                lines("something after the object", VIEW + "   ", VIEW + " trailing words", VIEW + "{\"type\":\"x\"}",
                        VIEW + VIEW),
                lines("an object over two lines", VIEW, "{\"type\":\"view\",", "\"user\":\"u1\"}"),
                lines("not JSON", VIEW, "{not json", VIEW),
                lines("not an object", VIEW, "[1,2]"),
                lines("JSON null", VIEW, "null"),
                lines("a string", VIEW, "\"view\""),
                lines("no user", VIEW, "{\"type\":\"view\"}"),
                lines("user null", VIEW, "{\"type\":\"view\",\"user\":null}"),
                lines("a non-breaking space, which is not blank", VIEW, "\u00a0"),
                lines("a control character in a string", VIEW, "{\"type\":\"view\",\"user\":\"a\u0001b\"}"),
                bytes("a byte order mark",
                        bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, VIEW + "\n" + VIEW)),
                bytes("bytes that are not UTF-8", bytes("{\"type\":\"view\",\"user\":\"u", new byte[] {(byte) 0xC3,
                        (byte) 0x28, (byte) 0xE2, (byte) 0x82}, "\"}\n" + VIEW + "\n")),
                lines("a line longer than a block",
                        "{\"type\":\"view\",\"user\":\"u1\",\"pad\":\"" + "p".repeat(200_000) + "\"}", VIEW),
                text("CR CR LF, and CRs at the very end", VIEW + "\r\r\n" + VIEW + "\r\r\n\r\n" + VIEW + "\r\r"),
                lines("numbers the scan leaves to the tree",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":01}", VIEW),
                lines("a minus without digits", "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":-}"),
                lines("amounts at the edge of a long", "{\"type\":\"purchase\",\"user\":\"u1\","
                                + "\"amount_cents\":999999999999999999}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":9223372036854775807}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":-9223372036854775808}",
                        "{\"type\":\"purchase\",\"user\":\"u1\",\"amount_cents\":9223372036854775808}"),
                lines("tabs and spaces around every token", " {\t\"type\" :\t\"view\" , \"user\":\"u1\" }\t"),
                lines("the same user plain and escaped is one user", "{\"type\":\"view\",\"user\":\"u1\"}",
                        "{\"type\":\"view\",\"user\":\"u\\u0031\"}", "{\"type\":\"vi\\u0065w\",\"user\":\"u2\"}"),
                lines("lone surrogates are distinct users", "{\"type\":\"view\",\"user\":\"\\ud800\"}",
                        "{\"type\":\"view\",\"user\":\"\\udc00\"}", "{\"type\":\"view\",\"user\":\"?\"}"),
                lines("literals where names are counted", "{\"type\":true,\"user\":\"u1\"}",
                        "{\"type\":\"view\",\"user\":\"u1\",\"amount_cents\":false}",
                        "{\"type\":\"view\",\"user\":\"u1\",\"ts\":17}", "{\"type\":\"view\",\"user\":\"u1\",\"x\":nul}"),
                manyTypes("more types than the scan lists", 40),
                manyUsers("users of every length, more than the tables start with, shared across types", 30_000),
                many("tens of thousands of lines, across several buffers", 60_000, -1),
                many("thousands of lines, awkward ones across blocks", 5_000, -1),
                many("thousands of lines, a broken one far in", 5_000, 4_321));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkwardInputs")
    void run_awkwardInput_readsWhatTheTreePerLineRead(String name, byte[] uncompressed) {
        Outcome tree = outcome(new TreePerLineDailyEventCounts(), uncompressed);

        Outcome streamed = outcome(DailyEventCounts.fixed(), uncompressed);

        assertThat(streamed).isEqualTo(tree);
    }

    /** The output lines and result of one run, or its failure. */
    private record Outcome(List<List<String>> parts, JobResult result, String failure) {
    }

    private static Outcome outcome(WindowJob job, byte[] uncompressed) {
        InMemoryObjectStore store = new InMemoryObjectStore();
        store.put(FILE, gzip(uncompressed));
        CapturingSink sink = new CapturingSink();
        try {
            JobResult result = job.run(new JobContext(APR_09, new ObjectStoreSourceReader(store, () -> { }), sink));
            return new Outcome(sink.parts(), result, null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(sink.parts(), null, e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private static Arguments lines(String name, String... lines) {
        return text(name, String.join("\n", lines) + "\n");
    }

    private static Arguments text(String name, String text) {
        return bytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Arguments bytes(String name, byte[] content) {
        return Arguments.of(name, content);
    }

    private static byte[] bytes(Object... pieces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object piece : pieces) {
            out.writeBytes(piece instanceof byte[] raw ? raw : ((String) piece).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Events of {@code types} types, each type again and again. */
    private static Arguments manyTypes(String name, int types) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < types * 5; i++) {
            lines.add("{\"type\":\"t" + (i % types) + "\",\"user\":\"u" + (i % 7) + "\",\"amount_cents\":" + i + "}");
        }
        return lines(name, lines.toArray(String[]::new));
    }

    /**
     * {@code count} events of users of 0 to 20 bytes (ids packed in a long and ids kept apart), plain and escaped, each
     * seen under several types: some types with a few users, some with most of them.
     */
    private static Arguments manyUsers(String name, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int user = (i * 7919) % (count / 2);
            String id = Integer.toString(user, 36);
            String text = switch (user % 4) {
                case 0 -> id;
                case 1 -> "user-" + id + "-" + "x".repeat(user % 11);
                case 2 -> user % 1000 == 2 ? "" : "u" + id;
                default -> "u\\u0031" + id;
            };
            String type = i % 50 == 0 ? "rare" + (i % 3) : i % 3 == 0 ? "view" : i % 3 == 1 ? "cart" : "purchase";
            lines.add("{\"type\":\"" + type + "\",\"user\":\"" + text + "\",\"amount_cents\":" + (i % 97) + "}");
        }
        return lines(name, lines.toArray(String[]::new));
    }

    /** {@code count} lines of every awkward kind in turn; a line that is not JSON at {@code brokenLine} if positive. */
    private static Arguments many(String name, int count, int brokenLine) {
        List<String> kinds = List.of(VIEW, "", "{\"user\":\"u\\\"2\",\"type\":\"cart\",\"x\":{\"type\":\"no\"}}",
                "{\"type\":\"purchase\",\"user\":\"ü3\",\"amount_cents\":1999}", "  ",
                "{\"type\":\"refund\",\"user\":7,\"amount_cents\":\"50\"}");
        StringBuilder text = new StringBuilder();
        for (int line = 1; line <= count; line++) {
            text.append(line == brokenLine ? "{\"type\":" : kinds.get(line % kinds.size()))
                    .append(line % 3 == 0 ? "\r\n" : "\n");
        }
        return text(name, text.toString());
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
