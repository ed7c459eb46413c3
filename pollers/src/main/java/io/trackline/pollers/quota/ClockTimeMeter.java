package io.trackline.pollers.quota;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/**
 * Bucket4j's clock read from the pollers' {@link Clock}: refills follow the pollers' time, so a compressed simulated
 * day compresses the budgets with it, and a test moves them by moving its clock. Epoch-based, as the aligned
 * calendar-day refill requires.
 */
final class ClockTimeMeter implements TimeMeter {

    private final Clock clock;

    ClockTimeMeter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
