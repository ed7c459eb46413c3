package io.trackline.pollers.service;

import java.time.Instant;

/**
 * The strong baseline: the subscription asked longest ago first, whatever it is, so that every not-final subscription
 * of an account is polled equally often within the same quota.
 */
public final class RoundRobinPolicy implements PollPolicy {

    @Override
    public double priority(Tracked entry, Instant now) {
        return seconds(entry.lastKnownCurrentByPoll(), now);
    }

    static double seconds(Instant from, Instant to) {
        return (to.toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }
}
