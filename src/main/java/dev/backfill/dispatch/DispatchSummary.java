package dev.backfill.dispatch;

import java.util.Map;

/**
 * The answer to a backfill or a scheduled firing: the run and how many of its windows are on the queue.
 *
 * @param windows   windows the run runs
 * @param enqueued  of those, on the queue now
 * @param inRange   windows in the requested range
 * @param skipped   windows of the range the reprocess policy left out, by reason
 * @param replayed  true when the request repeated an earlier one (same idempotency key or scheduled day): the answer
 *                  is that run's, and only windows it had not sent yet were sent now
 */
public record DispatchSummary(String runId, String job, int windows, int enqueued, int inRange,
                              Map<String, Integer> skipped, String first, String last, String reprocess, String order,
                              long fence, boolean replayed) {

    public DispatchSummary {
        skipped = skipped == null ? Map.of() : Map.copyOf(skipped);
    }
}
