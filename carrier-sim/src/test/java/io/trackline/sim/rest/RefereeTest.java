package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The referee counts what the carriers did: changes and when a client got them, requests, quotas. */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class RefereeTest {

    @Test
    void everyChangeIsRecordedWithItsTimesAndMarkedWhenAPollFirstCarriedIt() {
        JsonPath created = Sim.create("247express", "demo", "delivered");
        String code = created.getString("reference");
        Sim.finish(created);
        JsonPath truth = given().queryParam("carrier", "247express")
                .queryParam("reference", code)
                .get("/sim/truth/changes")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> changes = truth.getList("changes");
        assertThat(changes).hasSize(created.getList("steps").size());
        assertThat(truth.getList("changes.code")).containsExactlyElementsOf(created.getList("steps.code"));
        assertThat(truth.getList("changes.at")).containsExactlyElementsOf(created.getList("steps.at"));
        assertThat(truth.getList("changes.shipmentId")).containsOnly("247express:demo:" + code);
        assertThat(truth.getList("changes.seq", Long.class)).isSorted();
        assertThat(truth.getList("changes.firstServedAt")).containsOnlyNulls();

        given().queryParam("apikey", Express247ApiTest.KEY)
                .queryParam("ordercode", code)
                .get(Express247ApiTest.PATH)
                .then()
                .statusCode(200);
        truth = given().queryParam("reference", code)
                .get("/sim/truth/changes")
                .then()
                .extract()
                .jsonPath();
        assertThat(truth.getList("changes.servedVia")).containsOnly("poll");
        assertThat(truth.getList("changes.detectionDelayMs", Long.class)).allMatch(d -> d >= 0);
        Instant visible = Instant.parse(truth.getString("changes[0].visibleAt"));
        Instant served = Instant.parse(truth.getString("changes[0].firstServedAt"));
        assertThat(served).isAfterOrEqualTo(visible);

        // Paging by seq: since the last seq, nothing more for this shipment.
        long next = truth.getLong("next");
        given().queryParam("reference", code)
                .queryParam("since", next)
                .get("/sim/truth/changes")
                .then()
                .body("changes.size()", equalTo(0));
    }

    @Test
    void requestsAreCountedByCarrierAccountEndpointAndOutcome() {
        Map<String, String> served =
                Map.of("carrier", "mrspeedy", "account", "demo", "endpoint", "GET /orders", "outcome", "ok");
        double servedBefore = metric("trackline_sim_requests_served_total", served);
        long before = count("mrspeedy", "demo", "GET /orders", "ok");
        for (int i = 0; i < 3; i++) {
            MrSpeedyApiTest.as("demo-mrspeedy-token-not-real")
                    .get(MrSpeedyApiTest.BASE + "/orders")
                    .then()
                    .statusCode(200);
        }
        assertThat(count("mrspeedy", "demo", "GET /orders", "ok") - before).isEqualTo(3);
        long unauthenticated = count("mrspeedy", "-", "GET /orders", "required_auth_token");
        given().get(MrSpeedyApiTest.BASE + "/orders").then().statusCode(400);
        assertThat(count("mrspeedy", "-", "GET /orders", "required_auth_token") - unauthenticated)
                .isEqualTo(1);
        // the metric counts what the referee counts
        assertThat(metric("trackline_sim_requests_served_total", served) - servedBefore)
                .isEqualTo(3);
    }

    @Test
    void everyConfiguredQuotaIsListedWithItsDocumentedDefault() {
        JsonPath quota =
                given().get("/sim/truth/quota").then().statusCode(200).extract().jsonPath();
        assertThat(quota.getString("definition")).contains("overrun");
        assertThat(quota.getString("clock")).isEqualTo("simulated");
        assertThat(quota.getMap("quotas.find { it.carrier == 'all24' && it.account == 'demo' }"))
                .containsEntry("quota", "rate")
                .containsEntry("limit", 20)
                .containsEntry("window", "rolling PT1S");
        assertThat(quota.getMap("quotas.find { it.carrier == '247express' && it.account == 'demo' }"))
                .containsEntry("quota", "per-day")
                .containsEntry("limit", 200000);
        assertThat(quota.getMap("quotas.find { it.carrier == '247express' && it.account == '*' }"))
                .containsEntry("quota", "overall-per-day")
                .containsEntry("limit", 3000000);
        assertThat(quota.getList("quotas.findAll { it.carrier == 'mrspeedy' && it.account == 'demo' }.limit"))
                .containsExactlyInAnyOrder(100, 5000);
    }

    @Test
    void theSummaryAddsUpPerCarrierAndHealthIsUp() {
        Sim.create("all24", "demo", "delivered");
        JsonPath summary = given().get("/sim/truth/summary")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(summary.getMap("carriers")).containsOnlyKeys("all24", "247express", "mrspeedy");
        Map<String, Object> all24 = summary.getMap("carriers.all24");
        assertThat(((Number) all24.get("changes")).longValue()).isPositive();
        assertThat(((Number) all24.get("changes")).longValue())
                .isEqualTo(((Number) all24.get("served")).longValue() + ((Number) all24.get("unserved")).longValue());
        assertThat(summary.getDouble("timeFactor")).isEqualTo(1.0);
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static long count(String carrier, String account, String endpoint, String outcome) {
        List<Map<String, Object>> rows = given().queryParam("carrier", carrier)
                .get("/sim/truth/requests")
                .then()
                .statusCode(200)
                .extract()
                .path("requests");
        return rows.stream()
                .filter(r -> r.get("account").equals(account)
                        && r.get("endpoint").equals(endpoint)
                        && r.get("outcome").equals(outcome))
                .mapToLong(r -> ((Number) r.get("count")).longValue())
                .sum();
    }
}
