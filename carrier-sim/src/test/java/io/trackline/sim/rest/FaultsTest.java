package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Failing answers, each carrier's own way, counted by the referee as faults (247Express's is in its API test). */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class FaultsTest {

    @Test
    void all24FailsWithA5xxAndMrSpeedyWithServiceUnavailableOrUnexpectedError() {
        Sim.noise(1, 0, 0, 0, 0, 0);
        try {
            Response all24 = given().auth()
                    .preemptive()
                    .basic(All24ApiTest.KEY, "")
                    .queryParam("all24_tracking_number", "HSANY")
                    .get(All24ApiTest.PATH);
            assertThat(all24.statusCode()).isIn(500, 502, 503, 504);
            assertThat(all24.jsonPath().getInt("response_code")).isEqualTo(all24.statusCode());
            MrSpeedyApiTest.as("demo-mrspeedy-token-not-real")
                    .get(MrSpeedyApiTest.BASE + "/orders")
                    .then()
                    .statusCode(400)
                    .body("is_successful", equalTo(false))
                    .body("errors", anyOf(contains("service_unavailable"), contains("unexpected_error")));
        } finally {
            Sim.quiet();
        }
        List<Map<String, Object>> faults = given().get("/sim/truth/requests")
                .then()
                .statusCode(200)
                .extract()
                .path("requests.findAll { it.outcome.startsWith('fault:') }");
        assertThat(faults).extracting(r -> r.get("carrier")).contains("all24", "mrspeedy");
    }
}
