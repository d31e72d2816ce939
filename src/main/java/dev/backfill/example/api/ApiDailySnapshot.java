package dev.backfill.example.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backfill.BackfillException;
import dev.backfill.Json;
import dev.backfill.RetryableException;
import dev.backfill.job.History;
import dev.backfill.job.JobContext;
import dev.backfill.job.JobResult;
import dev.backfill.job.JobSettings;
import dev.backfill.job.OutputSchema;
import dev.backfill.job.OutputSchema.Column;
import dev.backfill.job.PartitionSink.PartWriter;
import dev.backfill.job.Secrets;
import dev.backfill.job.WindowJob;
import dev.backfill.window.Window;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The second example job: a snapshot of an HTTP JSON API's orders, per status, for each day.
 *
 * <p>Reads {@code GET <base-url>/v1/orders?from=<window start>&to=<window end>&page=N} page by page from 1 until
 * {@code nextPage} is null (answers {@code {"orders":[{"status":..,"amount_cents":..},..],"nextPage":N|null}}) and
 * writes one line per status, sorted: {@code {"dt":"2026-04-09","status":"paid","orders":41,"amount_cents":318200}}.
 * Every request spends one permit of the rate budget; 429 and 503 are honoured ({@link ThrottledGet}). A 404 means
 * the upstream no longer serves the window: a permanent failure (its horizon is declared as {@link #history()}, so
 * {@code plan} and {@code backfill} leave such days out).
 *
 * <p>Settings, {@code backfill.jobs.api_daily_snapshot.*}: {@code base-url} (needed to run), {@code horizon-days}
 * (how many days back the API serves, default 90), {@code api-key-secret-arn} (a Secrets Manager secret whose value
 * is sent as {@code Authorization: Bearer}; none by default), {@code max-throttled} (refusals of one request before
 * the window is given back, default 5).
 */
@ApplicationScoped
public class ApiDailySnapshot implements WindowJob {

    public static final String NAME = "api_daily_snapshot";
    public static final String ORDERS_PATH = "/v1/orders";

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final OutputSchema SCHEMA = new OutputSchema(List.of(Column.string("status")),
            List.of(Column.bigint("orders"), Column.bigint("amount_cents")));

    /** The job's settings, read once at start-up. */
    public record Settings(Optional<URI> baseUrl, int horizonDays, Optional<String> apiKeySecret, int maxThrottled) {

        /** @throws IllegalArgumentException if the horizon or the tolerated refusals are below 1 */
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKeySecret, "apiKeySecret");
            if (horizonDays < 1 || maxThrottled < 1) {
                throw new IllegalArgumentException("Job " + NAME + " needs horizon-days and max-throttled of at "
                        + "least 1, found " + horizonDays + " and " + maxThrottled);
            }
        }

        public static Settings of(URI baseUrl, int horizonDays) {
            return new Settings(Optional.of(baseUrl), horizonDays, Optional.empty(), 5);
        }

        static Settings from(JobSettings settings) {
            return new Settings(settings.text(NAME, "base-url").map(URI::create),
                    settings.integer(NAME, "horizon-days", 90), settings.text(NAME, "api-key-secret-arn"),
                    settings.integer(NAME, "max-throttled", 5));
        }
    }

    private final Settings settings;
    private final ThrottledGet get;
    private final Secrets secrets;
    private volatile String apiKey;

    /** For the container; the API key is read on the first window, never at start-up. */
    @Inject
    public ApiDailySnapshot(JobSettings settings, HttpTransport http, Secrets secrets) {
        this(Settings.from(settings), http, secrets, ThrottledGet.Pause.system());
    }

    ApiDailySnapshot(Settings settings, HttpTransport http, Secrets secrets, ThrottledGet.Pause pause) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.get = new ThrottledGet(http, pause, settings.maxThrottled());
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /** The job over the JDK's HTTP client, without API key: tests and the local stack. */
    public static ApiDailySnapshot of(Settings settings) {
        return new ApiDailySnapshot(settings, HttpTransport.jdk(), Secrets.none(), ThrottledGet.Pause.system());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String table() {
        return NAME;
    }

    /** The API forgets: it serves the last {@code horizon-days} days. */
    @Override
    public History history() {
        return History.lastDays(settings.horizonDays());
    }

    /** Key {@code status}; measures {@code orders} and {@code amount_cents}. */
    @Override
    public OutputSchema outputSchema() {
        return SCHEMA;
    }

    @Override
    public JobResult run(JobContext context) throws IOException {
        Window window = context.window();
        URI base = settings.baseUrl().orElseThrow(() -> new BackfillException("Job " + NAME + " needs setting "
                + JobSettings.property(NAME, "base-url") + " to run"));
        Map<String, String> headers = headers();
        Map<String, long[]> byStatus = new TreeMap<>();
        long rowsRead = 0;
        for (Integer page = 1; page != null; ) {
            OrdersPage orders = page(base, window, page, headers, context);
            for (OrdersPage.Order order : orders.orders()) {
                long[] counts = byStatus.computeIfAbsent(Objects.requireNonNullElse(order.status(), "unknown"),
                        status -> new long[2]);
                counts[0]++;
                counts[1] += order.amountCents();
            }
            rowsRead += orders.orders().size();
            if (orders.nextPage() != null && orders.nextPage() <= page) {
                throw new BackfillException("The upstream's page " + page + " of window " + window.label()
                        + " points back to page " + orders.nextPage());
            }
            page = orders.nextPage();
        }
        try (PartWriter part = context.sink().openPart()) {
            for (Map.Entry<String, long[]> entry : byStatus.entrySet()) {
                part.writeLine(line(window.label(), entry.getKey(), entry.getValue()));
            }
            return new JobResult(rowsRead, part.rows());
        }
    }

    private OrdersPage page(URI base, Window window, int page, Map<String, String> headers, JobContext context)
            throws IOException {
        URI uri = base.resolve(ORDERS_PATH + "?from=" + query(window.start().toString()) + "&to="
                + query(window.end().toString()) + "&page=" + page);
        HttpTransport.Response response = get.get(uri, headers, context.budget(), context.deadline());
        int status = response.status();
        if (status == 404) {
            throw new BackfillException("The upstream no longer serves window " + window.label() + " (HTTP 404 "
                    + "for page " + page + "); its history is shorter than the job's " + settings.horizonDays()
                    + " days (" + JobSettings.property(NAME, "horizon-days") + ")");
        }
        if (status >= 500) {
            throw new RetryableException("The upstream failed page " + page + " of window " + window.label()
                    + " (HTTP " + status + ")");
        }
        if (status != 200) {
            throw new BackfillException("The upstream refused page " + page + " of window " + window.label()
                    + " (HTTP " + status + ")");
        }
        try {
            return MAPPER.readValue(response.body(), OrdersPage.class);
        } catch (IOException e) {
            throw new BackfillException("The upstream's page " + page + " of window " + window.label()
                    + " is not an orders page: " + e.getClass().getSimpleName());
        }
    }

    private Map<String, String> headers() {
        if (settings.apiKeySecret().isEmpty()) {
            return Map.of("Accept", "application/json");
        }
        String key = apiKey;
        if (key == null) {
            key = secrets.value(settings.apiKeySecret().get()).trim();
            apiKey = key;
        }
        return Map.of("Accept", "application/json", "Authorization", "Bearer " + key);
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String line(String dt, String status, long[] counts) throws IOException {
        StringWriter out = new StringWriter(80);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("dt", dt);
            json.writeStringField("status", status);
            json.writeNumberField("orders", counts[0]);
            json.writeNumberField("amount_cents", counts[1]);
            json.writeEndObject();
        }
        return out.toString();
    }
}
