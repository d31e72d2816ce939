package dev.backfill.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Staged publish through the packaged artifact: the windows staged, a gate refusing, a forced publish, discard. */
@QuarkusIntegrationTest
class PublishFunctionIT extends PublishFunctionTest {
}
