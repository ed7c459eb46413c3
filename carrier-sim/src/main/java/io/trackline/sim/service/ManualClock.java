package io.trackline.sim.service;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until told to move: tests advance simulated days without waiting. */
public final class ManualClock implements SimClock {

    private final AtomicReference<Instant> now;

    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** No relation to real time: a simulated duration counts as the same real duration (for Retry-After). */
    @Override
    public double factor() {
        return 1;
    }

    @Override
    public boolean manual() {
        return true;
    }

    @Override
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time does not go back");
        }
        now.updateAndGet(t -> t.plus(by));
    }
}
