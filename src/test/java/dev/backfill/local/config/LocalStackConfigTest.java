package dev.backfill.local.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack's settings, from the environment as {@code make local} reads them. */
class LocalStackConfigTest {

    @Test
    void defaults_areTheDocumentedPortsCapAndQueueTimeouts() {
        LocalStackConfig config = LocalStackConfig.fromEnvironment(Map.of());

        assertThat(config).extracting(LocalStackConfig::s3Port, LocalStackConfig::sqsPort,
                LocalStackConfig::lambdaPort, LocalStackConfig::maxConcurrency, LocalStackConfig::batchSize,
                LocalStackConfig::workerProcesses).containsExactly(9000, 9324, 3001, 4, 1, 4);
        assertThat(config.visibilityTimeout()).isEqualTo(Duration.ofSeconds(360));
        assertThat(config.seed()).contains(LocalStackConfig.DEMO_INPUT);
    }

    @Test
    void maximumConcurrency_outsideLambdasLimits_isRefused() {
        assertThatThrownBy(() -> LocalStackConfig.fromEnvironment(Map.of("BACKFILL_MAX_CONCURRENCY", "1")))
                .hasMessage("MaximumConcurrency must be between 2 and 1000 (AWS Lambda ScalingConfig), got 1");
        assertThatThrownBy(() -> LocalStackConfig.fromEnvironment(Map.of("BACKFILL_MAX_CONCURRENCY", "1001")))
                .hasMessageContaining("got 1001");
        assertThatThrownBy(() -> LocalStackConfig.fromEnvironment(Map.of("BACKFILL_MAX_CONCURRENCY", "four")))
                .hasMessage("BACKFILL_MAX_CONCURRENCY must be a whole number, got 'four'");
    }

    @Test
    void workerProcesses_followTheCap_upToEight() {
        assertThat(LocalStackConfig.fromEnvironment(Map.of("BACKFILL_MAX_CONCURRENCY", "2")).workerProcesses())
                .isEqualTo(2);
        assertThat(LocalStackConfig.fromEnvironment(Map.of("BACKFILL_MAX_CONCURRENCY", "50")).workerProcesses())
                .isEqualTo(8);
    }

    @Test
    void workerProcesses_mayExceedTheCap_butNotLambdasLimit() {
        assertThat(LocalStackConfig.fromEnvironment(Map.of("BACKFILL_MAX_CONCURRENCY", "3",
                "BACKFILL_LOCAL_WORKERS", "4")).workerProcesses()).isEqualTo(4);
        assertThatThrownBy(() -> LocalStackConfig.fromEnvironment(Map.of("BACKFILL_LOCAL_WORKERS", "0")))
                .hasMessage("Worker processes must be between 1 and 1000, got 0");
        assertThatThrownBy(() -> LocalStackConfig.fromEnvironment(Map.of("BACKFILL_LOCAL_WORKERS", "1001")))
                .hasMessage("Worker processes must be between 1 and 1000, got 1001");
    }

    @Test
    void functionSettings_arePassedOn_butNotTheStacksOwn() {
        LocalStackConfig config = LocalStackConfig.fromEnvironment(Map.of(
                "BACKFILL_JOBS_DAILY_EVENT_COUNTS_LOGIC", "REFUNDS_AS_PURCHASES",
                "BACKFILL_LOCAL_SEED", "false",
                "BACKFILL_MAX_CONCURRENCY", "3",
                "HOME", "/home/someone"));

        assertThat(config.functionEnvironment()).containsOnly(
                Map.entry("BACKFILL_JOBS_DAILY_EVENT_COUNTS_LOGIC", "REFUNDS_AS_PURCHASES"),
                Map.entry("BACKFILL_RETRY_BASE_DELAY", "2s"));
        assertThat(config.seed()).isEmpty();
    }

    @Test
    void javaToolOptions_reachTheFunctionsAsJavaToolOptions() {
        LocalStackConfig config = LocalStackConfig.fromEnvironment(Map.of(
                "BACKFILL_LOCAL_JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=4"));

        assertThat(config.functionEnvironment()).containsEntry("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=4");
    }
}
