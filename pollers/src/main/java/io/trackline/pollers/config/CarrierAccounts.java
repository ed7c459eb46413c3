package io.trackline.pollers.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;

/**
 * The carrier accounts whose credentials the pollers use, by Trackline's account name (the {@code account} of a
 * subscription and of a shipment id), and the MrSpeedy reconciliation. Credentials are {@link Secret}s: printing
 * this configuration prints masks. Base URLs and timeouts are the REST clients' own settings
 * ({@code quarkus.rest-client.all24|247express|mrspeedy.*}).
 */
@ConfigMapping(prefix = "trackline.pollers")
public interface CarrierAccounts {

    All24 all24();

    @WithName("247express")
    Express247 express247();

    MrSpeedy mrspeedy();

    /** {@code trackline.pollers.all24.accounts.<name>.api-key}. */
    interface All24 {
        Map<String, ApiKeyAccount> accounts();
    }

    /** {@code trackline.pollers.247express.accounts.<name>.api-key}. */
    interface Express247 {
        Map<String, ApiKeyAccount> accounts();
    }

    interface ApiKeyAccount {
        /** The carrier's API key (all24: the Basic auth user name; 247Express: the {@code apikey} parameter). */
        Secret apiKey();
    }

    /** {@code trackline.pollers.mrspeedy.accounts.<name>.auth-token} and {@code .reconcile.*}. */
    interface MrSpeedy {
        Map<String, TokenAccount> accounts();

        Reconcile reconcile();
    }

    interface TokenAccount {
        /** Sent as {@code X-DV-Auth-Token}. */
        Secret authToken();
    }

    /**
     * The MrSpeedy reconciler: every {@link #every()} it lists each account's orders that are not final, within
     * {@link #requestsPerHour()} requests an hour per account (MrSpeedy allows 100 a minute and 5,000 in any 24 h;
     * the shared quota is the hard limit, this spreads the reconciler's share over the day).
     */
    interface Reconcile {
        /** Off in tests that drive the reconciler themselves. */
        @WithDefault("true")
        boolean enabled();

        /** The scheduler tick ({@code @Scheduled(every = ...)}). */
        @WithDefault("60s")
        Duration every();

        /** Requests per account and hour the reconciler may send: 180 is 4,320 a day, under MrSpeedy's 5,000. */
        @WithDefault("180")
        int requestsPerHour();

        /** Orders asked for per page when an order list has more than one page. */
        @WithDefault("50")
        int pageSize();

        /** Orders Trackline knows as not final that one reconciliation compares with the lists, per account. */
        @WithDefault("1000")
        int knownOrdersLimit();

        /** Ask {@code GET /courier} for the courier's location of each active order. */
        @WithDefault("true")
        boolean courierLocation();

        /** How long a courier lookup is not repeated for the same order. */
        @WithDefault("2m")
        Duration courierEvery();

        /** Order ids per account whose last seen content is remembered (to publish only what changed). */
        @WithDefault("20000")
        int rememberedOrders();

        /**
         * How long an account's reconcile lease lasts without renewal: only the instance holding it reconciles the
         * account, and another takes over this long after the holder died (at least two ticks).
         */
        @WithDefault("3m")
        Duration lease();
    }
}
