package io.trackline.sim.service;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The simulated clock: {@link #instant()} is simulated time (start + real elapsed × factor); {@link #wallNow()} is
 * real time. Carrier times, lifecycles and callback retries run on simulated time.
 */
public interface SimClock extends InstantSource {

    /** Simulated now. */
    @Override
    Instant instant();

    /** Real now, for the referee's wall times. */
    default Instant wallNow() {
        return Instant.now();
    }

    /** Simulated seconds per real second. */
    double factor();

    boolean manual();

    /** The real time a simulated duration takes. */
    default Duration toWall(Duration simulated) {
        return Duration.ofNanos((long) (simulated.toNanos() / factor()));
    }

    /** Moves a manual clock forward; a scaled clock refuses. */
    void advance(Duration by);
}
