package io.trackline.sim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Settings of the carrier simulator, under {@code trackline.sim}. See docs/carrier-sim.md. */
@ConfigMapping(prefix = "trackline.sim")
public interface SimConfig {

    /** Seeds every random choice of the lifecycles: the same seed and simulated time give the same shipments. */
    @WithDefault("20261124")
    long seed();

    Clock clock();

    Engine engine();

    Noise noise();

    Quota quota();

    /** Background shipments per carrier, keyed by carrier id ({@code all24}, {@code 247express}, {@code mrspeedy}). */
    Map<String, Traffic> traffic();

    All24 all24();

    @WithName("247express")
    Express247 express247();

    MrSpeedy mrspeedy();

    Demo demo();

    Subscriber subscriber();

    interface Clock {

        /** {@code scaled}: simulated time runs {@link #simulatedDay()}-fast; {@code manual}: only tests move it. */
        @WithDefault("scaled")
        Mode mode();

        /** Simulated time at start-up (or at {@link #anchorWall()}); default: the wall clock at start-up. */
        Optional<OffsetDateTime> start();

        /**
         * The wall instant at which simulated time was {@link #start()}; default: start-up. The local run gives the
         * simulator and the pollers the same pair, so both reckon the same simulated time of day.
         */
        Optional<Instant> anchorWall();

        /** How long one simulated day lasts in real time (24h: real time; 24m: 60 times faster). */
        @WithDefault("24h")
        Duration simulatedDay();

        enum Mode {
            SCALED,
            MANUAL
        }
    }

    interface Engine {

        /** How often (real time) the engine reveals due changes and sends due callbacks. */
        @WithDefault("100ms")
        Duration tick();

        /** At most this many shipments are kept; arrivals beyond it are skipped (and counted). */
        @WithDefault("20000")
        int maxShipments();

        /** A finished shipment is forgotten this long (simulated) after its last change: then 1350 / NOT_FOUND. */
        @WithDefault("72h")
        Duration retention();

        /** The referee keeps this many status changes; older ones are dropped (and counted). */
        @WithDefault("1000000")
        int maxChanges();

        /** The referee keeps this many callbacks. */
        @WithDefault("100000")
        int maxCallbacks();
    }

    interface Traffic {

        /** Shipments created per simulated day, spread over the day by the carrier's order profile. */
        @WithDefault("0")
        double perDay();

        /** Shipments created in all; then the carrier stops taking orders. */
        @WithDefault("0")
        long count();
    }

    /** Noise: the initial values of {@code GET/PUT /sim/noise}. Rates are probabilities (0..1). */
    interface Noise {

        /** A carrier answer fails (all24 5xx, 247Express EXCEPTION, MrSpeedy service_unavailable). */
        @WithDefault("0")
        double failureRate();

        /** A carrier answer is held back by {@link #slowDelay()}. */
        @WithDefault("0")
        double slowRate();

        @WithDefault("2s")
        Duration slowDelay();

        /** A MrSpeedy callback is sent twice. */
        @WithDefault("0")
        double duplicateRate();

        /** A MrSpeedy callback is held back until a minute after the next change (out of order). */
        @WithDefault("0")
        double reorderRate();

        /** A shipment gets a code its carrier's document does not list. */
        @WithDefault("0")
        double unknownCodeRate();
    }

    interface Quota {

        /** {@code wall}: quota windows in real time, as clients measure them; {@code simulated}: in simulated time. */
        @WithDefault("wall")
        QuotaClock clock();

        enum QuotaClock {
            WALL,
            SIMULATED
        }
    }

    interface All24 {

        Map<String, All24Account> accounts();

        /** Requests per key and rolling window before all24 answers 429 with Retry-After. */
        @WithDefault("20")
        int rateRequests();

        @WithDefault("1s")
        Duration rateWindow();

        interface All24Account {

            /** The API key, sent as the Basic-auth user name. */
            String apiKey();

            /** The all24 customer id of the account, for the third-party form ({@code tracking_number}). */
            String customerId();

            OptionalInt rateRequests();

            Optional<Duration> rateWindow();
        }
    }

    interface Express247 {

        Map<String, Express247Account> accounts();

        /** Look-ups per key per calendar day (Asia/Ho_Chi_Minh) before APIKEY_LIMIT. */
        @WithDefault("200000")
        long dailyLimitPerKey();

        /** Look-ups per calendar day over all keys. */
        @WithDefault("3000000")
        long dailyLimitOverall();

        interface Express247Account {

            String apiKey();

            OptionalLong dailyLimit();
        }
    }

    interface MrSpeedy {

        Map<String, MrSpeedyAccount> accounts();

        /** Requests per token in any rolling minute. */
        @WithDefault("100")
        int perMinuteLimit();

        /** Requests per token in any rolling 24 hours. */
        @WithDefault("5000")
        int perDayLimit();

        Callbacks callbacks();

        interface MrSpeedyAccount {

            /** The {@code X-DV-Auth-Token}. */
            String authToken();

            /** Where order callbacks go; none: the account is polled only. */
            Optional<URI> callbackUrl();

            /** The callback secret that signs {@code X-DV-Signature}. */
            Optional<String> callbackSecret();

            OptionalInt perMinuteLimit();

            OptionalInt perDayLimit();
        }

        /** MrSpeedy retries any answer but 200 with growing intervals, then gives up; all in simulated time. */
        interface Callbacks {

            @WithDefault("30s")
            Duration firstRetry();

            @WithDefault("1h")
            Duration maxInterval();

            @WithDefault("24h")
            Duration giveUpAfter();

            /** Real time to wait for the receiver's answer. */
            @WithDefault("5s")
            Duration timeout();

            @WithDefault("16")
            int maxInFlight();
        }
    }

    /** A small stream of signed MrSpeedy callbacks to ingest-webhooks, so a local run shows life. */
    interface Demo {

        @WithDefault("true")
        boolean enabled();

        /** Where callbacks go: ingest-webhooks' callback URL of the demo account. */
        @WithDefault("http://localhost:8081/webhooks/mrspeedy/demo")
        URI callbackUrl();

        /** The demo account's callback secret (a fake value, see the README). */
        String mrspeedySecret();

        /** Time between two callbacks. */
        @WithDefault("3s")
        Duration interval();

        /** How many demo orders to run through their life before the stream stops. */
        @WithDefault("10")
        int orders();
    }

    /**
     * The merchant side of a local run or a benchmark: every shipment the background traffic creates for a polled
     * carrier (all24, 247Express) is subscribed at a pollers instance, as a shop subscribes each label it prints.
     */
    interface Subscriber {

        /** Off unless a URL is set: {@code POST /api/v1/subscriptions} of a pollers instance. */
        Optional<URI> url();

        /** Per account a URL of its own (a benchmark runs one pollers instance per account). */
        Map<String, URI> accounts();

        /** The pollers' API key (a fake value locally). */
        Optional<String> apiKey();

        /** How often new shipments are looked for and sent, as one batch. */
        @WithDefault("2s")
        Duration interval();
    }
}
