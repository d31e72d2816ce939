package dev.backfill.job;

import dev.backfill.example.DailyEventCounts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backfill.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry every job is served from: unique, well-formed names; clear refusals. */
class JobRegistryTest {

    /** A job named like the example, as a second bean could be by mistake. */
    static final class Impostor implements WindowJob {
        private final String name;

        Impostor(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String table() {
            return name;
        }

        @Override
        public OutputSchema outputSchema() {
            return DailyEventCounts.fixed().outputSchema();
        }

        @Override
        public JobResult run(JobContext context) {
            return new JobResult(0, 0);
        }
    }

    @Test
    void of_twoJobsWithOneName_isRefused_namingBothClasses() {
        assertThatThrownBy(() -> JobRegistry.of(List.of(DailyEventCounts.fixed(), new Impostor("daily_event_counts"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Two jobs are named 'daily_event_counts': dev.backfill.example.DailyEventCounts and "
                        + "dev.backfill.job.JobRegistryTest$Impostor; job names must be unique");
    }

    @Test
    void withSources_twoBeansWithOneName_namesTheirBeanClasses() {
        assertThatThrownBy(() -> JobRegistry.withSources(List.of(
                Map.entry(new Impostor("orders"), "com.acme.Orders"),
                Map.entry(new Impostor("orders"), "com.acme.legacy.Orders"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Two jobs are named 'orders': com.acme.Orders and com.acme.legacy.Orders; "
                        + "job names must be unique");
    }

    @Test
    void of_aMalformedName_isRefused() {
        assertThatThrownBy(() -> JobRegistry.of(List.of(new Impostor("Daily-Counts"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Job name 'Daily-Counts' of dev.backfill.job.JobRegistryTest$Impostor must "
                        + "match ");
    }

    @Test
    void require_anUnknownName_listsTheKnownJobs() {
        JobRegistry jobs = JobRegistry.of(List.of(DailyEventCounts.fixed(), new Impostor("orders")));

        assertThat(jobs.names()).containsExactly("daily_event_counts", "orders");
        assertThat(jobs.require("orders").name()).isEqualTo("orders");
        assertThatThrownBy(() -> jobs.require("order"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("Unknown job 'order'; known jobs: [daily_event_counts, orders]");
    }

    @Test
    void settings_areReadByJobName_andEnvironmentNamesAreDerived() {
        JobSettings settings = JobSettings.of(Map.of("daily_event_counts", Map.of("logic", "REFUNDS_AS_PURCHASES")));

        assertThat(new DailyEventCounts(settings)).usingRecursiveComparison()
                .isEqualTo(new DailyEventCounts(DailyEventCounts.Logic.REFUNDS_AS_PURCHASES));
        assertThat(JobSettings.environment("api_daily_snapshot", "base-url"))
                .isEqualTo("BACKFILL_JOBS_API_DAILY_SNAPSHOT_BASE_URL");
        assertThatThrownBy(() -> new DailyEventCounts(JobSettings.of(Map.of("daily_event_counts",
                Map.of("logic", "FIXD")))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Setting backfill.jobs.daily_event_counts.logic must be one of "
                        + "[FIXED, REFUNDS_AS_PURCHASES]: 'FIXD'");
        assertThatThrownBy(() -> JobSettings.none().required("api_daily_snapshot", "base-url"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Job api_daily_snapshot needs setting backfill.jobs.api_daily_snapshot.base-url "
                        + "(environment BACKFILL_JOBS_API_DAILY_SNAPSHOT_BASE_URL)");
    }
}
