package io.trackline.pollers.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The pollers' notion of now ({@code trackline.pollers.clock.*}). Real time unless a benchmark or a local run plays
 * carrier-sim's compressed days: then the pollers must reckon time of day, ages and daily budgets in the simulator's
 * time, so they take its (wall, simulated) pair from {@code GET /sim/clock} and its day length.
 */
@ConfigMapping(prefix = "trackline.pollers.clock")
public interface ClockConfig {

    /** Real duration of one day of the pollers' time: 24h is real time; carrier-sim's value to follow it. */
    @WithDefault("24h")
    Duration simulatedDay();

    /** A wall instant at which the pollers' time was {@link #anchorSimulated()}; both or neither. */
    Optional<Instant> anchorWall();

    /** The pollers' time at {@link #anchorWall()}. */
    Optional<Instant> anchorSimulated();
}
