package dev.backfill.config;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.backfill.action.CancelAction;
import dev.backfill.action.DiscardAction;
import dev.backfill.audit.BackfillabilityAudit;
import dev.backfill.action.PlanAction;
import dev.backfill.action.ReadAction;
import dev.backfill.action.ReportAction;
import dev.backfill.action.PublishAction;
import dev.backfill.action.RetryAction;
import dev.backfill.action.RunsAction;
import dev.backfill.action.WatermarkAction;
import dev.backfill.dispatch.DispatchSummary;
import dev.backfill.dispatch.Estimator;
import dev.backfill.dispatch.Publish;
import dev.backfill.dispatch.UpstreamProbe;
import dev.backfill.dispatch.WindowQueue;
import dev.backfill.dispatch.WindowMessage;
import dev.backfill.job.InputRef;
import dev.backfill.example.api.OrdersPage;
import dev.backfill.ledger.Fences;
import dev.backfill.ledger.RunLedger;
import dev.backfill.ledger.RunRecord;
import dev.backfill.ledger.RunStatus;
import dev.backfill.ledger.Watermarks;
import dev.backfill.ledger.WindowState;
import dev.backfill.ledger.WindowStatus;
import dev.backfill.partition.GateCheck;
import dev.backfill.partition.Manifest;
import dev.backfill.report.Diff;
import dev.backfill.partition.StagedManifest;
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
        Publish.class,
        Window.class,
        // partition manifest
        Manifest.class,
        StagedManifest.class,
        InputRef.class,
        // api_daily_snapshot: the upstream's pages
        OrdersPage.class,
        OrdersPage.Order.class,
        // run ledger
        RunRecord.class,
        WindowStatus.class,
        WindowState.class,
        // run ledger: fences, watermarks, the cancel marker
        Fences.Fence.class,
        Watermarks.Watermark.class,
        RunLedger.Cancellation.class,
        // dispatcher: each action's answer (returned as a tree of the Json mapper, so no call site names them)
        DispatchSummary.class,
        PlanAction.Answer.class,
        Estimator.Estimate.class,
        UpstreamProbe.Found.class,
        RunStatus.class,
        RunStatus.Failure.class,
        RunsAction.Answer.class,
        CancelAction.Answer.class,
        RetryAction.Answer.class,
        WindowQueue.Redrive.class,
        WatermarkAction.Answer.class,
        PublishAction.Answer.class,
        PublishAction.GatesApplied.class,
        PublishAction.WindowAnswer.class,
        GateCheck.class,
        DiscardAction.Answer.class,
        BackfillabilityAudit.Report.class,
        BackfillabilityAudit.Finding.class,
        ReadAction.Answer.class,
        ReadAction.Partition.class,
        ReadAction.PartObject.class,
        Diff.class,
        Diff.Change.class,
        ReportAction.Answer.class,
        ReportAction.File.class,
        ReportAction.GateSummary.class,
        // worker: SQS event in, partial batch response out
        SQSEvent.class,
        SQSBatchResponse.class,
})
public final class ReflectionRegistrations {

    private ReflectionRegistrations() {
    }
}
