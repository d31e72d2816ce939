package dev.backfill.local.demo;

import dev.backfill.ledger.WindowState;
import dev.backfill.local.LedgerView;
import dev.backfill.local.LocalStack;
import dev.backfill.local.aws.LocalResources;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Prints a line whenever the stack's progress changes, at most once a second: windows per state over all runs of
 * this session (the ledger), invocations of the worker in flight against the cap, and the queues.
 */
public final class ProgressPrinter implements AutoCloseable {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final LocalStack stack;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean running = true;
    private String last = "";

    private ProgressPrinter(LocalStack stack, PrintStream out) {
        this.stack = stack;
        this.out = out;
        this.thread = new Thread(this::loop, "local-progress");
        this.thread.setDaemon(true);
    }

    public static ProgressPrinter start(LocalStack stack, PrintStream out) {
        ProgressPrinter printer = new ProgressPrinter(stack, out);
        printer.thread.start();
        return printer;
    }

    /** One line describing where everything stands now. */
    public static String describe(LocalStack stack) {
        LedgerView.Snapshot ledger = stack.ledger().refresh();
        Map<WindowState, Integer> totals = ledger.totals();
        LocalResources.QueueDepth depth = stack.queueDepth();
        int superseded = count(totals, WindowState.SUPERSEDED);
        return String.format("runs %d · windows %d queued, %d running, %d succeeded, %d failed%s"
                        + " · concurrency %d/%d (peak %d) · queue %d+%d in flight, DLQ %d",
                ledger.runs().size(), count(totals, WindowState.QUEUED), count(totals, WindowState.RUNNING),
                count(totals, WindowState.SUCCEEDED), count(totals, WindowState.FAILED),
                superseded > 0 ? ", " + superseded + " superseded" : "", stack.inFlight(),
                stack.config().maxConcurrency(), stack.peakConcurrency(), depth.visible(), depth.inFlight(),
                depth.deadLettered());
    }

    private static int count(Map<WindowState, Integer> totals, WindowState state) {
        return totals.getOrDefault(state, 0);
    }

    private void loop() {
        while (running) {
            try {
                String line = describe(stack);
                if (!line.equals(last)) {
                    out.println(LocalTime.now().format(CLOCK) + "  " + line);
                    last = line;
                }
            } catch (RuntimeException e) {
                if (running) {
                    out.println("progress unavailable: " + e.getMessage());
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
