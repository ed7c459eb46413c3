package io.trackline.pollers.service;

import java.time.Instant;

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
}
