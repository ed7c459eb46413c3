package io.trackline.sim.service;

import java.time.Instant;

/** Work done on every tick of the simulator, after the engine has caught up with simulated time. */
public interface Ticking {

    void tick(Instant simulatedNow);
}
