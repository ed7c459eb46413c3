package io.trackline.pollers.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Each carrier account's look-up limits ({@code trackline.pollers.quota.*}), as the carrier states them; the pollers
 * keep {@code margin} below each. Defaults are the carrier documents' numbers; all24 documents none (see
 * docs/pollers.md, "Quota").
 */
@ConfigMapping(prefix = "trackline.pollers.quota")
public interface QuotaConfig {

    All24 all24();

    @WithName("247express")
    Express247 express247();

    MrSpeedy mrspeedy();

    /** How often the quota gauges (used, left, cooling down, stopped) are read from PostgreSQL. */
    @WithDefault("10s")
    Duration refreshInterval();

    /** How long one quota operation may wait for PostgreSQL (lock and statements); past it nothing is granted. */
    @WithDefault("5s")
    Duration requestTimeout();

    /** all24: no documented number; it answers 429 "too many requests too quickly". */
    interface All24 {
        /** Look-ups in any 24 h per API key; none by default (the per-minute rate bounds the day). */
        OptionalLong dailyLimit();

        /** Look-ups in any 60 s per API key: 600, i.e. 10 a second (carrier-sim refuses past 20 in any second). */
        @WithDefault("600")
        long perMinuteLimit();

        /** The share of each limit the pollers leave unused, 0 to below 1. */
        @WithDefault("0.10")
        double margin();

        Map<String, AccountLimits> accounts();
    }

    /** 247Express: 200,000 look-ups a day per key, 3,000,000 overall, per calendar day in Asia/Ho_Chi_Minh. */
    interface Express247 {
        /** Look-ups per calendar day (Asia/Ho_Chi_Minh) per API key. */
        @WithDefault("200000")
        long dailyLimit();

        /** Look-ups in any 60 s per key: not documented; ours, so that a fresh day's budget is not spent at once. */
        @WithDefault("600")
        long perMinuteLimit();

        /** Look-ups per calendar day over all keys together: a bucket of its own, shared by every key. */
        @WithDefault("3000000")
        long overallDailyLimit();

        @WithDefault("0.10")
        double margin();

        Map<String, AccountLimits> accounts();
    }

    /** MrSpeedy: 100 requests a minute and 5,000 in 24 h per token, both rolling windows. */
    interface MrSpeedy {
        /** Requests in any 24 h per token. */
        @WithDefault("5000")
        long dailyLimit();

        /** Requests in any 60 s per token. */
        @WithDefault("100")
        long perMinuteLimit();

        @WithDefault("0.10")
        double margin();

        Map<String, AccountLimits> accounts();
    }

    /** One account's own limits, where its contract with the carrier differs from the carrier's default. */
    interface AccountLimits {
        OptionalLong dailyLimit();

        OptionalLong perMinuteLimit();
    }
}
