package dev.backfill.chaos;

import dev.backfill.example.DemoEventGenerator;
import dev.backfill.testing.LocalServers;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * R1: every window message delivered twice, every third one three times, the copies racing each other under the
 * event source mapping's cap — SQS standard queues deliver at least once.
 */
final class DuplicateDeliveries {

    static final String NAME = "R1 duplicates";

    private DuplicateDeliveries() {
    }

    static ChaosFigure run(LocalDate first, int days, long seed) {
        List<LocalDate> labels = first.datesUntil(first.plusDays(days)).toList();
        Map<String, byte[]> expected = PartitionAudit.reference(labels);
        try (ChaosRig rig = ChaosRig.plain("dup", seed)) {
            DemoEventGenerator.standard().writeDays(rig.plainStore(), first, first.plusDays(days));
            Map<String, Object> run = rig.dispatch(first.toString(), first.plusDays(days).toString());
            LocalServers servers = LocalServers.get();
            List<Message> sent = servers.receiveAll(rig.queues().workUrl());
            int copies = 0;
            for (int i = 0; i < sent.size(); i++) {
                Message original = sent.get(i);
                int extra = i % 3 == 0 ? 2 : 1;
                for (int c = 0; c < extra; c++) {
                    rig.sendRaw(original.body());
                    copies++;
                }
                servers.sqs().changeMessageVisibility(r -> r.queueUrl(rig.queues().workUrl())
                        .receiptHandle(original.receiptHandle()).visibilityTimeout(0));
            }
            rig.startWorkers(4);
            rig.awaitDrained(Duration.ofMinutes(2));

            PartitionAudit.Result audit = PartitionAudit.audit(rig.plainStore(), expected);
            Map<?, ?> counts = (Map<?, ?>) Status.of(rig, (String) run.get("runId")).get("counts");
            long succeeded = ((Number) counts.get("succeeded")).longValue();
            int deadLettered = rig.depth().deadLettered();
            List<String> reasons = servers.sqs().receiveMessage(r -> r.queueUrl(rig.queues().deadLetterUrl())
                    .maxNumberOfMessages(10).messageAttributeNames("All")).messages().stream()
                    .map(m -> m.messageAttributes().containsKey("reason")
                            ? m.messageAttributes().get("reason").stringValue() : "(no reason: maxReceiveCount)")
                    .toList();
            dev.backfill.ledger.RunLedger ledger = new dev.backfill.ledger.RunLedger(rig.plainStore());
            List<String> failures = ledger.events((String) run.get("runId")).stream()
                    .filter(e -> e.state() == dev.backfill.ledger.WindowState.FAILED)
                    .map(e -> e.label() + " a" + e.attempts() + ": " + ledger.read(e)
                            .map(dev.backfill.ledger.WindowStatus::error).orElse("?"))
                    .toList();
            return new ChaosFigure(NAME, String.format("%d windows, %d messages (+%d duplicates: all ×2, every 3rd "
                    + "×3)", days, sent.size() + copies, copies),
                    String.format("%d deliveries; %d/%d partitions byte-identical to a fault-free run; %d succeeded; "
                            + "DLQ %d", rig.worker().invocations(), days - audit.lost() - audit.differing(), days,
                            succeeded, deadLettered),
                    audit.lost() + audit.differing(), audit.duplicateRows(), 0, audit.orphans(),
                    succeeded == days && deadLettered == 0 && sent.size() == days,
                    Map.of("windows", days, "duplicates", copies, "deliveries", rig.worker().invocations(),
                            "differing", audit.differing(), "succeeded", succeeded, "deadLettered", deadLettered,
                            "deadLetterReasons", reasons, "failedDeliveries", failures));
        }
    }
}
