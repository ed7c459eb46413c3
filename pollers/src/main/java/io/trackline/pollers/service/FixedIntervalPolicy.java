package io.trackline.pollers.service;

import java.time.Duration;
import java.time.Instant;

/**
 * What trackers that poll on a cycle do (Karrio: every ~2 h, the numbers unchanged for the interval): a subscription
 * is due once its last look-up is {@code interval} old, the most overdue first.
 */
public final class FixedIntervalPolicy implements PollPolicy {

    private final Duration interval;

    public FixedIntervalPolicy(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("trackline.pollers.scheduling.fixed-interval must be positive");
        }
        this.interval = interval;
    }

    @Override
    public double priority(Tracked entry, Instant now) {
        double age = RoundRobinPolicy.seconds(entry.lastKnownCurrentByPoll(), now);
        return age >= interval.toSeconds() ? age : -1;
    }
}
