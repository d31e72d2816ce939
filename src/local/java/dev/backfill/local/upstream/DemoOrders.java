package dev.backfill.local.upstream;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The orders the embedded upstream serves: for a seed and a UTC hour, always the same 4 to 11 orders, so any
 * [from, to) gives the same answer every time, whatever the paging.
 */
public final class DemoOrders {

    private static final String[] STATUSES = {"placed", "paid", "shipped", "cancelled", "refunded"};
    private static final int[] WEIGHTS = {30, 40, 20, 7, 3};

    /** One order as the API lists it. */
    public record Order(String id, Instant ts, String status, long amountCents) {
    }

    private final long seed;

    public DemoOrders(long seed) {
        this.seed = seed;
    }

    /** Every order with {@code from <= ts < to}, oldest first. */
    public List<Order> between(Instant from, Instant to) {
        List<Order> orders = new ArrayList<>();
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS); hour.isBefore(to); hour = hour.plus(1,
                ChronoUnit.HOURS)) {
            for (Order order : ofHour(hour)) {
                if (!order.ts().isBefore(from) && order.ts().isBefore(to)) {
                    orders.add(order);
                }
            }
        }
        return orders;
    }

    private List<Order> ofHour(Instant hour) {
        long epochHour = hour.getEpochSecond() / 3600;
        SplittableRandom random = new SplittableRandom(seed * 31 + epochHour);
        int count = 4 + random.nextInt(8);
        List<Order> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant ts = hour.plusSeconds(random.nextInt(3600));
            orders.add(new Order("o" + epochHour + "-" + i, ts, status(random), 500 + random.nextInt(20_000)));
        }
        orders.sort(Comparator.comparing(Order::ts).thenComparing(Order::id));
        return orders;
    }

    private static String status(SplittableRandom random) {
        int roll = random.nextInt(100);
        for (int i = 0; i < STATUSES.length; i++) {
            roll -= WEIGHTS[i];
            if (roll < 0) {
                return STATUSES[i];
            }
        }
        return STATUSES[0];
    }
}
