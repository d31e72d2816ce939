package dev.backfill.config;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.job.InputRef;
import dev.backfill.ledger.RunRecord;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.partition.Manifest;
import dev.backfill.window.Window;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every type Jackson reads or writes, registered for reflection so that a native image keeps their constructors,
 * accessors and record components: the queue message, the manifest, the run ledger, the handlers' requests and
 * answers. The domain stays free of Quarkus, so the list lives here, one flat list. A listed type brings its nested
 * types ({@code ignoreNested} is false) but not the types of its record components: list those too.
 * {@code ReflectionRegistrationsTest} fails when a type the code reads or writes as JSON is missing.
 */
@RegisterForReflection(targets = {
        // queue message
        WindowMessage.class,
        Window.class,
        // partition manifest
        Manifest.class,
        InputRef.class,
        // run ledger
        RunRecord.class,
        WindowStatus.class,
        WindowState.class,
        // dispatcher: answers
        DispatchSummary.class,
        // worker: SQS event in, partial batch response out
        SQSEvent.class,
        SQSBatchResponse.class,
})
public final class ReflectionRegistrations {

    private ReflectionRegistrations() {
    }
}
