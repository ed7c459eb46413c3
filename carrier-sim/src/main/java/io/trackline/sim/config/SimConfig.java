package io.trackline.sim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Settings of the carrier simulator, under {@code trackline.sim}. */
@ConfigMapping(prefix = "trackline.sim")
public interface SimConfig {

    Demo demo();

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
}
