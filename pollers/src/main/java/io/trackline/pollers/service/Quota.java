package io.trackline.pollers.service;

import io.trackline.events.Carrier;
import java.time.Duration;

/**
 * Each carrier account's look-up budget, shared by every poller instance and kept across restarts: a daily budget
 * and a per-minute rate, each a configured margin below the carrier's limit, never exceeded; plus the account's
 * state (cooling down after a 429 or a spent carrier quota; stopped after a 401).
 */
public interface Quota {

    /**
     * Takes one look-up from the account's budgets. False when a budget is empty, the account cools down or is
     * stopped: then nothing may be sent.
     */
    boolean tryTake(Carrier carrier, String account);

    /**
     * The account sends nothing for {@code period} (429 with Retry-After, APIKEY_LIMIT, requests_limit_exceeded).
     * {@code period} is real time, as the carrier's Retry-After gives it, also when the pollers' clock runs scaled; a
     * spent daily quota (a reason naming APIKEY_LIMIT) lasts until the carrier's next local midnight, whatever the
     * period. A cool-down never shortens one in force.
     */
    void coolDown(Carrier carrier, String account, Duration period, String reason);

    /** The account sends nothing until restarted with new configuration (401, unknown or revoked key). */
    void stop(Carrier carrier, String account, String reason);

    /** Look-ups the account may still make today (its daily budget's tokens), for scheduling and metrics. */
    long remainingToday(Carrier carrier, String account);
}
