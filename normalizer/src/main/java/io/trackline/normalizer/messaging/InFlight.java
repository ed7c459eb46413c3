package io.trackline.normalizer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Batches whose writes are not stored yet. A revocation waits for them, so that the next owner of the partition,
 * which rebuilds its dedupe state from the events topic, finds every event this instance published.
 */
@ApplicationScoped
public class InFlight {

    private int batches;

    public synchronized void begin() {
        batches++;
    }

    public synchronized void end() {
        batches--;
        notifyAll();
    }

    /** @return true when nothing is in flight any more, false when the wait timed out */
    public synchronized boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (batches > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
