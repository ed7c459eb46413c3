package io.trackline.pollers.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How the pollers choose what to ask the carriers ({@code trackline.pollers.scheduling.*}); docs/pollers.md explains
 * each value. Durations are in the pollers' time ({@link ClockConfig}): a simulated day counts as a day.
 */
@ConfigMapping(prefix = "trackline.pollers.scheduling")
public interface SchedulingConfig {

    /** Which policy orders the look-ups. */
    @WithDefault("adaptive")
    Policy policy();

    /** Real time between two scheduler ticks (a tick that runs long makes the next one skip, never overlap). */
    @WithDefault("1s")
    Duration tick();

    /** The fixed-interval policy's cycle: what Karrio users get. */
    @WithDefault("2h")
    Duration fixedInterval();

    /** Polling stops this long after the subscription was made or last brought news (AfterShip, 17TRACK: 30 days). */
    @WithDefault("30d")
    Duration maxAge();

    /** Look-ups of one account per tick at most, whatever the quota has left: a tick stays short. */
    @WithDefault("50")
    int maxPollsPerTick();

    /**
     * Spread what is left of an account's daily budget over the rest of the carrier's day (each tick its share up to
     * midnight), rather than spending it as fast as the per-minute rate allows.
     */
    @WithDefault("true")
    boolean paceDailyBudget();

    /** Threads that run look-ups (blocking REST calls), shared by every account. */
    @WithDefault("8")
    int workers();

    /** No poll sooner than this after the previous one: an answer this fresh cannot have much news. */
    @WithDefault("2m")
    Duration minInterval();

    /** A shipment that brought news (callback or poll) this recently is not polled. */
    @WithDefault("10m")
    Duration recentNews();

    /** How often the statuses of every owned subscription are read again (the polled ones are read every tick). */
    @WithDefault("30s")
    Duration statusRefresh();

    /** How long a revoked partition waits for its look-ups in flight before it is let go. */
    @WithDefault("30s")
    Duration revokeTimeout();

    /** How long a tick waits for Kafka to acknowledge the raw records it published. */
    @WithDefault("10s")
    Duration publishTimeout();

    /** How long an account rests after a 429 or a spent quota without a Retry-After (real time, as Retry-After). */
    @WithDefault("60s")
    Duration rateLimitCoolDown();

    /** A reference the carrier does not know yet (all24 1350, 247Express ORDERCODE_NOT_FOUND). */
    UnknownReference unknownReference();

    /** A reference the carrier refuses (malformed, another account's). */
    RejectedReference rejectedReference();

    /** 5xx, I/O and carrier exceptions after the client's own retries. */
    Errors errors();

    /** The adaptive policy's change-rate model. */
    Adaptive adaptive();

    enum Policy {
        /** Highest expected detection delay first, from per-status, time-of-day hazards (the square-root rule). */
        ADAPTIVE,
        /** The longest-unpolled not-final subscription first: equal frequencies, the strong baseline. */
        ROUND_ROBIN,
        /** Every subscription once per {@link #fixedInterval()}, oldest first. */
        FIXED_INTERVAL
    }

    interface UnknownReference {
        /** Wait after the first "not found"; doubled after each further one. */
        @WithDefault("15m")
        Duration firstRetry();

        /** The longest wait between two look-ups of a reference not found. */
        @WithDefault("6h")
        Duration maxRetry();

        /** Retired when still not found this long after the first "not found". */
        @WithDefault("7d")
        Duration retireAfter();
    }

    interface RejectedReference {
        /** Wait after the first refusal; doubled after each further one (up to the unknown-reference maximum). */
        @WithDefault("1h")
        Duration firstRetry();

        /** Retired when still refused this long after the first refusal. */
        @WithDefault("1d")
        Duration retireAfter();
    }

    interface Errors {
        /** Wait after the first carrier error of a subscription; doubled after each further one. */
        @WithDefault("1m")
        Duration firstRetry();

        @WithDefault("1h")
        Duration maxRetry();
    }

    interface Adaptive {
        /** The share of the busiest hour's rate that is left in hours a carrier does no such work (never 0). */
        @WithDefault("0.02")
        double nightFloor();

        /** After this long in one status the change rate is halved (a third after twice as long, ...). */
        @WithDefault("3d")
        Duration staleAfter();

        /** Within this long either side of the carrier's ETA, the rates of delivery are raised. */
        @WithDefault("12h")
        Duration etaWindow();

        /** How much: rate x (1 + eta-boost) near the ETA. */
        @WithDefault("1.0")
        double etaBoost();

        /** The index integrates the change rate back at most this far (bounds the work after a long silence). */
        @WithDefault("7d")
        Duration lookback();

        /**
         * Pacing weighs each hour by the change rate averaged over this span before it: the changes a look-up then
         * can still find (0: by the rate of the hour alone).
         */
        @WithDefault("4h")
        Duration paceWindow();
    }
}
