package io.trackline.pollers.service;

import java.time.Instant;
import java.util.Collection;

/**
 * Orders the look-ups of one account: of the subscriptions that may be polled now (not retired, not backing off, not
 * polled or updated too recently: the scheduler decides that), the one with the highest priority is asked first.
 * Subscriptions never polled come before any policy's choice.
 */
public interface PollPolicy {

    /** How much polling {@code entry} now is worth; below 0: not now. */
    double priority(Tracked entry, Instant now);

    /** Called when {@code entry}'s poll state or status changed, so that a policy may drop what it computed. */
    default void changed(Tracked entry) {}

    /**
     * How much of an account's budget the span from {@code from} to {@code to} deserves, relative to other spans:
     * the scheduler shares out what is left in proportion. The default is the span's length in hours, an even pace:
     * the policy does not know when changes come.
     *
     * @param entries the account's subscriptions that are polled (not retired)
     */
    default double spendWeight(Collection<Tracked> entries, Instant from, Instant to) {
        return Math.max(0, to.toEpochMilli() - from.toEpochMilli()) / 3_600_000.0;
    }

    /** Whether {@link #spendWeight} is anything but the even pace. */
    default boolean pacesByWeight() {
        return false;
    }
}
