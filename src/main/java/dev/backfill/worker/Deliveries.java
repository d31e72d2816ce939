package dev.backfill.worker;

/**
 * How many times the work queue delivers a message: its redrive policy's {@code maxReceiveCount}. SQS moves a
 * message to the dead-letter queue when it is received once more after that many deliveries, so a delivery whose
 * receive count is {@code max} is the last.
 */
public record Deliveries(int max) {

    public Deliveries {
        if (max < 1 || max > 1000) {
            throw new IllegalArgumentException("maxReceiveCount must be 1 to 1000 (SQS redrive policy): " + max);
        }
    }

    /** Whether the message is delivered again if the delivery numbered {@code receiveCount} gives it back. */
    public boolean anotherAfter(int receiveCount) {
        return receiveCount < max;
    }
}
