package io.trackline.store.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

/** Who may call the query API ({@code trackline.api.*}). */
@ConfigMapping(prefix = "trackline.api")
public interface ApiConfig {

    /** Request header carrying the API key. */
    String HEADER = "X-API-Key";

    /**
     * API keys by consumer name: {@code trackline.api.keys.<consumer>=<key>}. No keys configured means nobody gets
     * in; the names appear in logs, the keys never do.
     */
    Map<String, String> keys();
}
