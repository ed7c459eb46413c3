package io.trackline.pollers.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaskingTest {

    @ParameterizedTest
    @ValueSource(strings = {"apikey", "apiKey", "APIKEY", "api_key", "token", "auth_token"})
    void secretQueryParametersAreMaskedInAnyCase(String name) {
        String uri = "https://tracking.247express.vn/api/Order/v1/Tracking?ordercode=EX247-1&" + name
                + "=1111-2222-3333&x=1";

        assertThat(Masking.mask(uri))
                .isEqualTo(
                        "https://tracking.247express.vn/api/Order/v1/Tracking?ordercode=EX247-1&" + name + "=****&x=1");
    }

    @Test
    void inAnExceptionMessageAndInUserInformation() {
        assertThat(Masking.mask("The timeout period of 700ms has been exceeded while executing GET "
                        + "/api/Order/v1/Tracking?ordercode=EX247-0000001&apikey=k-1 for server localhost:8090"))
                .doesNotContain("k-1")
                .contains("apikey=**** for server");
        assertThat(Masking.mask("http://key:@api.all24.com/v1/tracking/orders"))
                .isEqualTo("http://****@api.all24.com/v1/tracking/orders");
    }

    @Test
    void theSecretItselfWhereverItIs() {
        assertThat(Masking.mask("header X-DV-Auth-Token: abcd-secret", "abcd-secret"))
                .doesNotContain("abcd-secret");
        assertThat(Masking.mask("ordercode=EX247-1&monkey=banana")).isEqualTo("ordercode=EX247-1&monkey=banana");
        assertThat(Masking.mask(null)).isNull();
    }
}
