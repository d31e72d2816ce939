package dev.backfill.dispatch;

import dev.backfill.job.WindowJob;
import dev.backfill.window.Window;
import dev.backfill.window.WindowRange;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A backfill worked out but not started: every window of the range, the ones the reprocess policy runs, in send
 * order, and why the others are left out. Making one reads the bucket and writes nothing.
 *
 * @param windows every window of the range, oldest first
 * @param toRun   the windows to run, in send order
 * @param skipped windows left out, counted by reason
 */
public record Draft(WindowJob job, WindowRange range, ZoneId zone, Reprocess reprocess, Order order,
                    List<Window> windows,
                    List<Window> toRun, Map<String, Integer> skipped) {

    public Draft {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(reprocess, "reprocess");
        Objects.requireNonNull(order, "order");
        windows = List.copyOf(windows);
        toRun = List.copyOf(toRun);
        skipped = Map.copyOf(skipped);
    }

    public List<String> labels() {
        return toRun.stream().map(Window::label).toList();
    }
}
