package dev.backfill.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backfill.local.aws.LocalResources;
import dev.backfill.local.config.LocalNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code make report}'s second half: fetches the report the dispatcher wrote, through the signed URLs of its
 * answer, or from the local stack's S3 when the answer has none; into {@code target/reports/<runId>/}.
 */
public final class ReportDownload {

    static final URI LOCAL_S3 = URI.create("http://127.0.0.1:9000");

    private ReportDownload() {
    }

    /** @return the local path of the HTML report */
    public static Path save(JsonNode report, Path directory, boolean local) throws IOException, InterruptedException {
        Path into = directory.resolve(report.path("runId").asText());
        Files.createDirectories(into);
        fetch(report.path("csv"), into.resolve("report.csv"), local);
        Path html = into.resolve("report.html");
        fetch(report.path("html"), html, local);
        return html.toAbsolutePath();
    }

    private static void fetch(JsonNode file, Path target, boolean local) throws IOException, InterruptedException {
        String url = file.path("url").isTextual() ? file.path("url").asText() : null;
        if (url != null) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofFile(target));
            if (response.statusCode() != 200) {
                throw new IOException("GET of " + file.path("key").asText() + " answered " + response.statusCode());
            }
            return;
        }
        if (!local) {
            throw new IOException("The answer has no signed URL for " + file.path("key").asText());
        }
        try (S3Client s3 = LocalResources.s3Client(LOCAL_S3)) {
            Files.write(target, s3.getObjectAsBytes(r -> r.bucket(LocalNames.BUCKET).key(file.path("key").asText())
                    .versionId(file.path("versionId").asText(null))).asByteArray());
        }
    }
}
