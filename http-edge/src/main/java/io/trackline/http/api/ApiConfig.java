package io.trackline.http.api;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** Who may call a service's API ({@code trackline.api.*}): the same keys for every service that has one. */
@ConfigMapping(prefix = "trackline.api")
public interface ApiConfig {

    /** Request header carrying the API key. */
    String HEADER = "X-API-Key";

    /**
     * The build-time property that puts {@link ApiKeyFilter} in a service: {@code trackline.http.api-keys=required}
     * in its application.properties. A service without it (ingest-webhooks, normalizer, carrier-sim) has no filter.
     */
    String REQUIRED_PROPERTY = "trackline.http.api-keys";

    /**
     * API keys by consumer name: {@code trackline.api.keys.<consumer>=<key>}. No keys configured means nobody gets
     * in; the names appear in logs, the keys never do.
     */
    Map<String, String> keys();
}
