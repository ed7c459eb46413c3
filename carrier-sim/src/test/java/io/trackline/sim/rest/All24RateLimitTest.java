package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Past the key's rate all24 answers 429 with Retry-After, and the referee counts the overrun. */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class All24RateLimitTest {

    private static final String TIGHT = "tight-all24-key-not-real";

    @Test
    void theFourthRequestInTenSecondsIs429AndRetryAfterIsHonest() {
        long before = overruns();
        for (int i = 0; i < 3; i++) {
            given().auth()
                    .preemptive()
                    .basic(TIGHT, "")
                    .queryParam("all24_tracking_number", "HSNONE1")
                    .get(All24ApiTest.PATH)
                    .then()
                    .statusCode(400);
        }
        Response refused = given().auth()
                .preemptive()
                .basic(TIGHT, "")
                .queryParam("all24_tracking_number", "HSNONE1")
                .get(All24ApiTest.PATH);
        refused.then().statusCode(429).body("response_code", equalTo(429));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 10L);
        // Again at once: refused, and counted as ignoring the cool-down.
        given().auth()
                .preemptive()
                .basic(TIGHT, "")
                .get(All24ApiTest.PATH)
                .then()
                .statusCode(429);

        Sim.advance(Duration.ofSeconds(retryAfter));
        given().auth()
                .preemptive()
                .basic(TIGHT, "")
                .queryParam("all24_tracking_number", "HSNONE1")
                .get(All24ApiTest.PATH)
                .then()
                .statusCode(400);

        Map<String, Object> quota = quota();
        assertThat(((Number) quota.get("overruns")).longValue() - before).isEqualTo(2);
        assertThat(((Number) quota.get("refusedDuringCooldown")).longValue()).isGreaterThanOrEqualTo(1);
        assertThat(quota.get("limit")).isEqualTo(3);
        assertThat(quota.get("window")).isEqualTo("rolling PT10S");
        List<Map<String, Object>> requests = given().queryParam("carrier", "all24")
                .get("/sim/truth/requests")
                .then()
                .statusCode(200)
                .extract()
                .path("requests.findAll { it.account == 'tight' && it.outcome == '429' }");
        assertThat(requests).hasSize(1);
    }

    private static long overruns() {
        return ((Number) quota().get("overruns")).longValue();
    }

    private static Map<String, Object> quota() {
        return given().queryParam("carrier", "all24")
                .get("/sim/truth/quota")
                .then()
                .statusCode(200)
                .extract()
                .path("quotas.find { it.account == 'tight' && it.quota == 'rate' }");
    }
}
