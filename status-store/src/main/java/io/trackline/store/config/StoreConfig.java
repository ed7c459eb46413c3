package io.trackline.store.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** status-store's own settings ({@code trackline.store.*}). */
@ConfigMapping(prefix = "trackline.store")
public interface StoreConfig {

    /** How a batch write that failed (PostgreSQL down, connection lost) is retried: forever, with back-off. */
    Retry retry();

    /** GET /api/v1/shipments pages. */
    Pages pages();

    /** GET .../{carrier}/{reference}/stream. */
    Stream stream();

    interface Stream {
        /**
         * How often an SSE stream without changes sends a comment line: well inside quarkus.http.idle-timeout, so
         * the server (and proxies) do not close a quiet stream as a stalled connection.
         */
        @WithDefault("10s")
        Duration heartbeat();
    }

    interface Retry {
        @WithDefault("200ms")
        Duration initialBackOff();

        @WithDefault("5s")
        Duration maxBackOff();
    }

    interface Pages {
        @WithDefault("50")
        int defaultSize();

        @WithDefault("500")
        int maxSize();
    }
}
