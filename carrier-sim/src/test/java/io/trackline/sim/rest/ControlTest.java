package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's own API: shipments on demand, the manual clock, the noise; errors as JSON with a code. */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class ControlTest {

    @Test
    void aShipmentOnDemandShowsItsPlanAndIsListedForPollers() {
        JsonPath created = Sim.create("mrspeedy", "demo", "reactivated");
        assertThat(created.getString("shipmentId")).isEqualTo("mrspeedy:demo:" + created.getString("reference"));
        assertThat(created.getList("steps.code")).contains("reactivated");
        assertThat(created.getBoolean("steps[0].happened")).isTrue();
        assertThat(created.getBoolean("steps[1].happened")).isFalse();
        long serial = given().queryParam("carrier", "mrspeedy")
                .get("/sim/shipments")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("next");
        Sim.create("mrspeedy", "demo", "completed");
        given().queryParam("carrier", "mrspeedy")
                .queryParam("since", serial)
                .get("/sim/shipments")
                .then()
                .statusCode(200)
                .body("shipments.size()", equalTo(1));
        given().get("/sim/shipments/mrspeedy/" + created.getString("reference"))
                .then()
                .statusCode(200)
                .body("scenario", equalTo("reactivated"));
    }

    @Test
    void theManualClockMovesOnlyWhenAsked() {
        Instant before = Sim.now();
        JsonPath clock = Sim.advance(Duration.ofMinutes(5));
        assertThat(Instant.parse(clock.getString("simulatedNow"))).isEqualTo(before.plus(Duration.ofMinutes(5)));
        assertThat(clock.getString("mode")).isEqualTo("manual");
        given().post("/sim/clock/advance").then().statusCode(400).body("code", equalTo("invalid_duration"));
        given().queryParam("by", "-PT1H").post("/sim/clock/advance").then().statusCode(400);
    }

    @Test
    void badRequestsAreJsonWithAStableCode() {
        given().contentType(ContentType.JSON)
                .body(Map.of("carrier", "dhl"))
                .post("/sim/shipments")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_carrier"));
        given().contentType(ContentType.JSON)
                .body(Map.of("carrier", "all24", "scenario", "teleported"))
                .post("/sim/shipments")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_shipment"));
        given().contentType(ContentType.JSON)
                .body(Map.of("carrier", "all24", "account", "nobody"))
                .post("/sim/shipments")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_shipment"));
        given().get("/sim/shipments/all24/HSNOSUCH").then().statusCode(404).body("code", equalTo("shipment_not_found"));
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "failureRate",
                        2.0,
                        "slowRate",
                        0.0,
                        "slowDelayMs",
                        0,
                        "duplicateRate",
                        0.0,
                        "reorderRate",
                        0.0,
                        "unknownCodeRate",
                        0.0))
                .put("/sim/noise")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_noise"));
        given().get("/sim/nothing").then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    void slowNoiseHoldsTheAnswerBack() {
        setNoise(1.0, 300);
        try {
            long start = System.nanoTime();
            MrSpeedyApiTest.as("demo-mrspeedy-token-not-real")
                    .get(MrSpeedyApiTest.BASE)
                    .then()
                    .statusCode(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            setNoise(0.0, 0);
        }
    }

    private static void setNoise(double slowRate, long delayMs) {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "failureRate",
                        0.0,
                        "slowRate",
                        slowRate,
                        "slowDelayMs",
                        delayMs,
                        "duplicateRate",
                        0.0,
                        "reorderRate",
                        0.0,
                        "unknownCodeRate",
                        0.0))
                .put("/sim/noise")
                .then()
                .statusCode(200);
    }
}
