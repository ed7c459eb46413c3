package io.trackline.sim.service;

import io.trackline.sim.config.SimConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/** The one simulated clock of the application, as configured. */
public class ClockProducer {

    @Produces
    @Singleton
    SimClock clock(SimConfig config) {
        SimConfig.Clock settings = config.clock();
        Instant start = settings.start()
                .map(OffsetDateTime::toInstant)
                .orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS));
        if (settings.mode() == SimConfig.Clock.Mode.MANUAL) {
            return new ManualClock(start);
        }
        double factor =
                (double) Duration.ofDays(1).toNanos() / settings.simulatedDay().toNanos();
        return new ScaledClock(anchored(start, settings.anchorWall().orElse(null), Instant.now(), factor), factor);
    }

    /** Simulated time now, given that it was {@code start} at the wall instant {@code anchorWall}. */
    static Instant anchored(Instant start, Instant anchorWall, Instant wallNow, double factor) {
        if (anchorWall == null) {
            return start;
        }
        long elapsed = Duration.between(anchorWall, wallNow).toNanos();
        return start.plusNanos((long) (elapsed * factor));
    }
}
