package dev.backfill.example;

import dev.backfill.store.ObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Deterministic demo input for {@link DailyEventCounts}: for a seed and a day, always the same events, in time order,
 * a few thousand a day (weekends busier), of types {@code view}, {@code cart}, {@code purchase} and {@code refund}.
 */
public final class DemoEventGenerator {

    private static final String[] TYPES = {"view", "cart", "purchase", "refund"};
    private static final int[] WEIGHTS = {70, 18, 9, 3};

    private final long seed;
    private final int users;

    public DemoEventGenerator(long seed, int users) {
        if (users <= 0) {
            throw new IllegalArgumentException("users must be positive: " + users);
        }
        this.seed = seed;
        this.users = users;
    }

    public static DemoEventGenerator standard() {
        return new DemoEventGenerator(20260409L, 1500);
    }

    /** The key this generator's file for {@code day} is stored at. */
    public static String keyOf(LocalDate day) {
        return DailyEventCounts.SOURCE_PREFIX + "dt=" + day + "/events-0000.jsonl.gz";
    }

    /** The gzip-compressed JSON lines of one day. */
    public byte[] day(LocalDate day) {
        SplittableRandom random = new SplittableRandom(seed * 31 + day.toEpochDay());
        boolean weekend = day.getDayOfWeek().getValue() >= 6;
        int count = (weekend ? 4000 : 3000) + random.nextInt(1000);
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = random.nextLong(86_400_000L);
        }
        Arrays.sort(offsets);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream(count * 40);
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(bytes), StandardCharsets.UTF_8)) {
            for (long offset : offsets) {
                String type = pickType(random);
                long amount = switch (type) {
                    case "purchase" -> 500 + random.nextInt(19_500);
                    case "refund" -> 500 + random.nextInt(9_500);
                    default -> 0;
                };
                out.write("{\"ts\":\"" + Instant.ofEpochMilli(dayStart + offset) + "\",\"user\":\"u" + random.nextInt(users)
                        + "\",\"type\":\"" + type + "\",\"amount_cents\":" + amount + "}\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes every day in [from, to) to {@code store}; returns how many objects were written. */
    public int writeDays(ObjectStore store, LocalDate from, LocalDate to) {
        int written = 0;
        for (LocalDate day = from; day.isBefore(to); day = day.plusDays(1)) {
            store.put(keyOf(day), day(day));
            written++;
        }
        return written;
    }

    private static String pickType(SplittableRandom random) {
        int roll = random.nextInt(100);
        for (int i = 0; i < TYPES.length; i++) {
            roll -= WEIGHTS[i];
            if (roll < 0) {
                return TYPES[i];
            }
        }
        return TYPES[0];
    }
}
