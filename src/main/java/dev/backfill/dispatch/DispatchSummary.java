package dev.backfill.dispatch;

/** The dispatcher's answer: the run and how many of its windows are on the queue. */
public record DispatchSummary(String runId, int windows, int enqueued, String first, String last) {
}
