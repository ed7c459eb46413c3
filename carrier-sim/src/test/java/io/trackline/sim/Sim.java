package io.trackline.sim;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test helpers over the simulator's own API: shipments on demand and the manual clock. */
public final class Sim {

    private Sim() {}

    /** Creates a shipment and answers its view (references, every planned step). */
    public static JsonPath create(String carrier, String account, String scenario) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("carrier", carrier, "account", account, "scenario", scenario))
                .post("/sim/shipments")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    public static JsonPath advance(Duration by) {
        return given().queryParam("by", by.toString())
                .post("/sim/clock/advance")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    public static Instant now() {
        return Instant.parse(
                given().get("/sim/clock").then().statusCode(200).extract().path("simulatedNow"));
    }

    /** Advances the clock to just after step {@code index} of the shipment (its planned steps from {@link #create}). */
    public static void advanceToStep(JsonPath shipment, int index) {
        List<String> times = shipment.getList("steps.at");
        Instant at = Instant.parse(times.get(index));
        Instant now = now();
        if (at.isAfter(now)) {
            advance(Duration.between(now, at));
        }
    }

    /** Sets the noise (rates 0..1); {@code noise(0, 0, 0, 0, 0, 0)} turns it off. */
    public static void noise(
            double failureRate,
            double slowRate,
            long slowDelayMs,
            double duplicateRate,
            double reorderRate,
            double unknownCodeRate) {
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "failureRate",
                        failureRate,
                        "slowRate",
                        slowRate,
                        "slowDelayMs",
                        slowDelayMs,
                        "duplicateRate",
                        duplicateRate,
                        "reorderRate",
                        reorderRate,
                        "unknownCodeRate",
                        unknownCodeRate))
                .put("/sim/noise")
                .then()
                .statusCode(200);
    }

    public static void quiet() {
        noise(0, 0, 0, 0, 0, 0);
    }

    /** Advances the clock past the shipment's last step. */
    public static void finish(JsonPath shipment) {
        advanceToStep(shipment, shipment.getList("steps").size() - 1);
    }
}
