package dev.backfill.local.upstream;

import java.util.Map;

/**
 * The orders API of the local stack, for the job {@code api_daily_snapshot}. From the environment:
 * <pre>
 * BACKFILL_LOCAL_UPSTREAM_PORT          9100   its port (0: any free port)
 * BACKFILL_LOCAL_UPSTREAM_RATE          20     requests per second it answers; more get 429 Retry-After: 1
 * BACKFILL_LOCAL_UPSTREAM_HORIZON_DAYS  400    days back it serves (from today, UTC); older days get 404
 * </pre>
 * The functions get its base URL, its horizon less a day ({@code BACKFILL_JOBS_API_DAILY_SNAPSHOT_HORIZON_DAYS}: it
 * counts UTC days, a zone's day may start earlier) and, unless set, the budget R = its rate
 * ({@code BACKFILL_UPSTREAM_REQUESTS_PER_SECOND}).
 */
public record LocalUpstream(int port, int requestsPerSecond, int horizonDays) {

    public static final int DEFAULT_PORT = 9100;

    public static LocalUpstream fromEnvironment(Map<String, String> env) {
        return new LocalUpstream(number(env, "BACKFILL_LOCAL_UPSTREAM_PORT", DEFAULT_PORT),
                number(env, "BACKFILL_LOCAL_UPSTREAM_RATE", 20),
                number(env, "BACKFILL_LOCAL_UPSTREAM_HORIZON_DAYS", 400));
    }

    /** The upstream's settings: the demo seed, pages of 20. */
    public OrdersUpstream.Settings settings() {
        OrdersUpstream.Settings standard = OrdersUpstream.Settings.standard(requestsPerSecond);
        return new OrdersUpstream.Settings(requestsPerSecond, horizonDays, standard.pageSize(), standard.seed());
    }

    /** What the functions are told: where it is, how far back it serves, and (unless set) the budget R. */
    public void configure(Map<String, String> functionEnvironment, OrdersUpstream running) {
        functionEnvironment.put("BACKFILL_JOBS_API_DAILY_SNAPSHOT_BASE_URL", running.baseUrl().toString());
        // The upstream counts its days in UTC; a day of a zone east of UTC starts before the UTC day, so the job
        // declares one day less and its oldest served window lies wholly in served time, whatever BACKFILL_ZONE.
        functionEnvironment.putIfAbsent("BACKFILL_JOBS_API_DAILY_SNAPSHOT_HORIZON_DAYS",
                String.valueOf(Math.max(1, horizonDays - 1)));
        functionEnvironment.putIfAbsent("BACKFILL_UPSTREAM_REQUESTS_PER_SECOND", String.valueOf(requestsPerSecond));
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number: '" + value + "'");
        }
    }
}
