package io.trackline.pollers.service;

import io.trackline.events.Carrier;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;

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

    /**
     * The account's daily budget as pacing needs it: what is left today, and how the budget renews.
     *
     * @param left          {@link #remainingToday}
     * @param renews        when a calendar-day budget starts again (what is left then is lost); null for a rolling
     *                      one, which refills as it goes
     * @param held          a rolling budget's tokens now
     * @param capacity      a rolling budget's capacity: what it refills beyond that is lost
     * @param refillPerHour a rolling budget's refill
     */
    record Budget(long left, Instant renews, long held, long capacity, double refillPerHour) {

        public boolean rolling() {
            return renews == null;
        }
    }

    /**
     * The account's daily budget for pacing. Without more knowledge: {@link #remainingToday}, renewed at the carrier's
     * next local midnight.
     */
    default Budget budget(Carrier carrier, String account, Instant now) {
        ZonedDateTime local = now.atZone(HazardModel.zone(carrier));
        Instant midnight =
                local.toLocalDate().plusDays(1).atStartOfDay(local.getZone()).toInstant();
        return new Budget(remainingToday(carrier, account), midnight, 0, 0, 0);
    }
}
