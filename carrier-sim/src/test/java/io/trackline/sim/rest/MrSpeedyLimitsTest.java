package io.trackline.sim.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MrSpeedy's limits per token, in rolling windows: 3 a minute and 5 a day here (100 and 5,000 by default). */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class MrSpeedyLimitsTest {

    private static final String TIGHT = "tight-mrspeedy-token-not-real";

    private static void ok() {
        MrSpeedyApiTest.as(TIGHT).get(MrSpeedyApiTest.BASE + "/orders").then().statusCode(200);
    }

    private static void refused() {
        MrSpeedyApiTest.as(TIGHT)
                .get(MrSpeedyApiTest.BASE + "/orders")
                .then()
                .statusCode(400)
                .body("errors", contains("requests_limit_exceeded"));
    }

    @Test
    void pastTheMinutesAndTheDaysLimitRequestsAreRefused() {
        ok();
        ok();
        ok();
        refused();
        Sim.advance(Duration.ofSeconds(61));
        ok();
        ok();
        refused();
        Sim.advance(Duration.ofHours(1));
        refused();
        Sim.advance(Duration.ofHours(24));
        ok();

        List<Map<String, Object>> quotas = io.restassured.RestAssured.given()
                .queryParam("carrier", "mrspeedy")
                .get("/sim/truth/quota")
                .then()
                .statusCode(200)
                .extract()
                .path("quotas.findAll { it.account == 'tight' }");
        Map<String, Object> minute = quotas.stream()
                .filter(q -> q.get("quota").equals("per-minute"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> day = quotas.stream()
                .filter(q -> q.get("quota").equals("per-24h"))
                .findFirst()
                .orElseThrow();
        assertThat(minute)
                .containsEntry("limit", 3)
                .containsEntry("overruns", 1)
                .containsEntry("window", "rolling PT1M");
        assertThat(day)
                .containsEntry("limit", 5)
                .containsEntry("overruns", 2)
                .containsEntry("accepted", 6)
                .containsEntry("window", "rolling PT24H");
    }
}
