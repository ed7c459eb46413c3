package io.trackline.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiKeyFilterTest {

    private static final Map<String, String> KEYS = new LinkedHashMap<>(Map.of(
            "partner", "partner-key-not-real",
            "ops", "ops-key-not-real"));

    @Test
    void aConfiguredKeyNamesItsConsumer() {
        assertThat(ApiKeyFilter.consumerOf(KEYS, "partner-key-not-real")).contains("partner");
        assertThat(ApiKeyFilter.consumerOf(KEYS, "ops-key-not-real")).contains("ops");
    }

    @Test
    void anythingElseNamesNobody() {
        assertThat(ApiKeyFilter.consumerOf(KEYS, null)).isEmpty();
        assertThat(ApiKeyFilter.consumerOf(KEYS, "")).isEmpty();
        assertThat(ApiKeyFilter.consumerOf(KEYS, "   ")).isEmpty();
        assertThat(ApiKeyFilter.consumerOf(KEYS, "partner-key-not-rea")).isEmpty();
        assertThat(ApiKeyFilter.consumerOf(KEYS, "partner-key-not-real ")).isEmpty();
        assertThat(ApiKeyFilter.consumerOf(KEYS, "PARTNER-KEY-NOT-REAL")).isEmpty();
        assertThat(ApiKeyFilter.consumerOf(Map.of(), "partner-key-not-real")).isEmpty();
    }

    @Test
    void theRefusalIsTheJsonOfEveryOtherError() {
        assertThat(ApiKeyFilter.UNAUTHORIZED_JSON)
                .isEqualTo("{\"code\":\"unauthorized\",\"message\":\"send a valid API key in the X-API-Key header\"}");
    }
}
