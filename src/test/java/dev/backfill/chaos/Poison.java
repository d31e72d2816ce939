package dev.backfill.chaos;

import dev.backfill.dispatch.WindowMessage;
import dev.backfill.example.DemoEventGenerator;
import dev.backfill.testing.Gzip;
import dev.backfill.testing.LocalServers;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * R4: poison among good work — N malformed messages and N windows whose input is malformed, dispatched with good
 * windows. Exactly those 2N reach the DLQ (after one delivery each), and every other window commits.
 */
final class Poison {

    static final String NAME = "R4 poison";

    private Poison() {
    }

    static ChaosFigure run(LocalDate first, int poison, int good, long seed) {
        int days = poison + good;
        List<LocalDate> all = first.datesUntil(first.plusDays(days)).toList();
        // Every (days / poison)-th day gets malformed input: spread through the run, not bunched at its end.
        Set<String> badInput = new HashSet<>();
        for (int i = 0; i < poison; i++) {
            badInput.add(all.get(i * days / poison).toString());
        }
        List<LocalDate> goodDays = all.stream().filter(d -> !badInput.contains(d.toString())).toList();
        Map<String, byte[]> expected = PartitionAudit.reference(goodDays);
        try (ChaosRig rig = ChaosRig.plain("poison", seed)) {
            DemoEventGenerator.standard().writeDays(rig.plainStore(), first, first.plusDays(days));
            for (String day : badInput) {
                rig.plainStore().put(DemoEventGenerator.keyOf(LocalDate.parse(day)),
                        Gzip.ofLines("{\"ts\":\"2026-01-01T00:00:00Z\",\"user\":\"u1\",\"type\":\"view\"}",
                                "this line is not JSON"));
            }
            rig.dispatch(first.toString(), first.plusDays(days).toString());
            BadMessages bad = new BadMessages(seed);
            Set<String> badBodies = new HashSet<>();
            for (int i = 0; i < poison; i++) {
                String body = bad.next();
                badBodies.add(body);
                rig.sendRaw(body);
            }
            rig.startWorkers(4);
            rig.awaitDrained(Duration.ofMinutes(2));

            int parkedMessages = 0;
            Map<String, Integer> parkedWindows = new TreeMap<>();
            List<String> unexpected = new ArrayList<>();
            for (Message parked : LocalServers.get().receiveAll(rig.queues().deadLetterUrl())) {
                if (badBodies.contains(parked.body())) {
                    parkedMessages++;
                    continue;
                }
                try {
                    parkedWindows.merge(WindowMessage.parse(parked.body()).window().label(), 1, Integer::sum);
                } catch (RuntimeException e) {
                    unexpected.add(parked.body());
                }
            }
            boolean exactlyThePoison = parkedMessages == poison && parkedWindows.keySet().equals(new TreeMap<>(
                    toMap(badInput)).keySet()) && parkedWindows.values().stream().allMatch(n -> n == 1)
                    && unexpected.isEmpty();
            PartitionAudit.Result audit = PartitionAudit.audit(rig.plainStore(), expected);
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("goodWindows", goodDays.size());
            values.put("badInputWindows", badInput.size());
            values.put("malformedMessages", poison);
            values.put("parkedMessages", parkedMessages);
            values.put("parkedWindows", parkedWindows);
            values.put("deliveries", rig.worker().invocations());
            return new ChaosFigure(NAME, String.format("%d malformed messages + %d windows with malformed input among "
                    + "%d good windows", poison, poison, goodDays.size()),
                    String.format("DLQ: %d messages + %d windows, exactly the poison: %s; %d/%d good windows "
                            + "committed, byte-identical; %d deliveries", parkedMessages, parkedWindows.size(),
                            exactlyThePoison ? "yes" : "NO", goodDays.size() - audit.lost() - audit.differing(),
                            goodDays.size(), rig.worker().invocations()),
                    audit.lost() + audit.differing(), audit.duplicateRows(), 0, audit.orphans(), exactlyThePoison,
                    values);
        }
    }

    private static Map<String, Boolean> toMap(Set<String> labels) {
        Map<String, Boolean> map = new TreeMap<>();
        labels.forEach(label -> map.put(label, true));
        return map;
    }
}
