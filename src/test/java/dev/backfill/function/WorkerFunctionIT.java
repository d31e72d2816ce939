package dev.backfill.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The worker tests, run against the packaged artifact (the native binary when built with -Dnative). */
@QuarkusIntegrationTest
class WorkerFunctionIT extends WorkerFunctionTest {
}
