package io.trackline.sim.service;

import java.time.Duration;
import java.time.Instant;

/** Simulated time = start + real elapsed × factor, measured on the monotonic clock so it never goes back. */
public final class ScaledClock implements SimClock {

    private final Instant start;
    private final long startNanos = System.nanoTime();
    private final double factor;

    public ScaledClock(Instant start, double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("time factor must be positive: " + factor);
        }
        this.start = start;
        this.factor = factor;
    }

    @Override
    public Instant instant() {
        return start.plusNanos((long) ((System.nanoTime() - startNanos) * factor));
    }

    @Override
    public double factor() {
        return factor;
    }

    @Override
    public boolean manual() {
        return false;
    }

    @Override
    public void advance(Duration by) {
        throw new IllegalStateException("the clock is scaled, not manual");
    }
}
