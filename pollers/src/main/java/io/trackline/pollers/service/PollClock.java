package io.trackline.pollers.service;

import io.trackline.pollers.config.ClockConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Produces the {@link Clock} every part of the pollers reads (scheduling, ages, quota refills): the system clock, or
 * a scaled one that keeps step with carrier-sim's compressed days ({@link ClockConfig}).
 */
@ApplicationScoped
public class PollClock {

    @Produces
    @Singleton
    Clock clock(ClockConfig config) {
        return of(
                config.simulatedDay(),
                config.anchorWall().orElse(null),
                config.anchorSimulated().orElse(null));
    }

    /** A clock running {@code 24h / simulatedDay} times as fast as the wall clock, through the anchor pair. */
    public static Clock of(Duration simulatedDay, Instant anchorWall, Instant anchorSimulated) {
        if (simulatedDay.isNegative() || simulatedDay.isZero()) {
            throw new IllegalArgumentException("trackline.pollers.clock.simulated-day must be positive");
        }
        if ((anchorWall == null) != (anchorSimulated == null)) {
            throw new IllegalArgumentException(
                    "trackline.pollers.clock.anchor-wall and anchor-simulated go together: set both or neither");
        }
        double factor = (double) Duration.ofDays(1).toNanos() / simulatedDay.toNanos();
        if (factor == 1.0 && anchorWall == null) {
            return Clock.systemUTC();
        }
        Instant wall = anchorWall == null ? Instant.now() : anchorWall;
        Instant simulated = anchorSimulated == null ? wall : anchorSimulated;
        return new Scaled(wall, simulated, factor, ZoneOffset.UTC);
    }

    /** simulated = anchorSimulated + (wall now - anchorWall) x factor. */
    static final class Scaled extends Clock {
        private final Instant anchorWall;
        private final Instant anchorSimulated;
        private final double factor;
        private final ZoneId zone;

        Scaled(Instant anchorWall, Instant anchorSimulated, double factor, ZoneId zone) {
            this.anchorWall = anchorWall;
            this.anchorSimulated = anchorSimulated;
            this.factor = factor;
            this.zone = zone;
        }

        @Override
        public Instant instant() {
            long elapsedNanos = Duration.between(anchorWall, Instant.now()).toNanos();
            return anchorSimulated.plusNanos((long) (elapsedNanos * factor));
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new Scaled(anchorWall, anchorSimulated, factor, zone);
        }

        /** How many times faster than the wall clock. */
        public double factor() {
            return factor;
        }
    }
}
