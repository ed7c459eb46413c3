package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.trackline.sim.CallbackReceiver;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 247Express's limit over all keys (3,000,000 a day; 4 here) refuses every key once reached. */
@QuarkusTest
@TestProfile(Express247OverallLimitTest.SmallOverallLimit.class)
@WithTestResource(CallbackReceiver.class)
class Express247OverallLimitTest {

    public static class SmallOverallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trackline.sim.247express.daily-limit-overall", "4");
        }
    }

    @Test
    void theOverallLimitCountsEveryKey() {
        for (String key : new String[] {
            Express247ApiTest.KEY,
            Express247ApiTest.KEY,
            "other-247express-key-not-real",
            "other-247express-key-not-real"
        }) {
            given().queryParam("apikey", key)
                    .queryParam("ordercode", "EX247-NOSUCH")
                    .get(Express247ApiTest.PATH)
                    .then()
                    .body("errorCode", equalTo("ORDERCODE_NOT_FOUND"));
        }
        given().queryParam("apikey", Express247ApiTest.KEY)
                .queryParam("ordercode", "EX247-NOSUCH")
                .get(Express247ApiTest.PATH)
                .then()
                .body("errorCode", equalTo("APIKEY_LIMIT"))
                .body("errorMessage", equalTo("Look up more than 4 times/day."));
        Map<String, Object> overall = given().get("/sim/truth/quota")
                .then()
                .statusCode(200)
                .extract()
                .path("quotas.find { it.carrier == '247express' && it.account == '*' }");
        assertThat(overall)
                .containsEntry("quota", "overall-per-day")
                .containsEntry("limit", 4)
                .containsEntry("used", 4)
                .containsEntry("overruns", 1);
        int total = given().get("/sim/truth/quota").then().extract().path("overruns");
        assertThat(total).isEqualTo(1);
    }
}
