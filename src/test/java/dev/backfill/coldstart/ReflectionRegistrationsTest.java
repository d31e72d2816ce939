package dev.backfill.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backfill.config.ReflectionRegistrations;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every type the function code reads or writes as JSON is registered for reflection in
 * {@link ReflectionRegistrations}, so a native image keeps what Jackson needs of it. On the JVM, in milliseconds: the
 * native build would otherwise find a missing one only at run time.
 */
class ReflectionRegistrationsTest {

    @Test
    void everyJsonTypeOfTheFunctions_isRegisteredForReflection() {
        List<Class<?>> registered = List.of(
                ReflectionRegistrations.class.getAnnotation(RegisterForReflection.class).targets());

        assertThat(JsonTypes.missing(CompiledClasses.under(CompiledClasses.MAIN), registered)).isEmpty();
    }

    @Test
    void theJsonTypesFound_includeTheMessageManifestLedgerAndAnswers() {
        assertThat(JsonTypes.of(CompiledClasses.under(CompiledClasses.MAIN))).containsKeys(
                "dev.backfill.dispatch.WindowMessage", "dev.backfill.window.Window",
                "dev.backfill.partition.Manifest", "dev.backfill.partition.Manifest$Part",
                "dev.backfill.job.InputRef", "dev.backfill.ledger.RunRecord", "dev.backfill.ledger.WindowStatus",
                "dev.backfill.ledger.WindowState", "dev.backfill.dispatch.DispatchSummary",
                "com.amazonaws.services.lambda.runtime.events.SQSEvent",
                "com.amazonaws.services.lambda.runtime.events.SQSBatchResponse");
    }
}
