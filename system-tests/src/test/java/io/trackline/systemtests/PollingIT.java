package io.trackline.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import io.trackline.testsupport.TestInfra;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Polling end to end, with the packaged services as processes on a real broker and a real PostgreSQL: carrier-sim
 * plays all24 and 247Express on localhost, a shipment is created there, subscribed at the pollers' API, and its first
 * polled answer reaches the status store's timeline through trackline.raw.v1, the normalizer and trackline.events.v1.
 */
class PollingIT {

    static final String ACCOUNT = "it";
    static final String ALL24_KEY = "it-all24-key-not-real";
    static final String EXPRESS_KEY = "it-247express-key-not-real";

    static ServiceProcess sim;
    static ServiceProcess pollers;
    static ServiceProcess store;

    @BeforeAll
    static void start() throws Exception {
        Pipeline.start();
        store = Pipeline.store();
        Map<String, String> simProperties = new HashMap<>();
        simProperties.put("trackline.sim.traffic.all24.count", "0");
        simProperties.put("trackline.sim.traffic.247express.count", "0");
        simProperties.put("trackline.sim.traffic.mrspeedy.count", "0");
        simProperties.put("trackline.sim.mrspeedy.accounts.demo.callback-url", "");
        simProperties.put("trackline.sim.all24.accounts." + ACCOUNT + ".api-key", ALL24_KEY);
        simProperties.put("trackline.sim.all24.accounts." + ACCOUNT + ".customer-id", "24024");
        simProperties.put("trackline.sim.247express.accounts." + ACCOUNT + ".api-key", EXPRESS_KEY);
        sim = ServiceProcess.start("carrier-sim", simProperties);
        sim.awaitReady();

        TestInfra.Postgres pg = TestInfra.postgres();
        String simUrl = "http://localhost:" + sim.port();
        Map<String, String> p = new HashMap<>();
        p.put("kafka.bootstrap.servers", TestInfra.kafka().bootstrapServers());
        p.put("quarkus.datasource.jdbc.url", pg.jdbcUrl());
        p.put("quarkus.datasource.username", pg.user());
        p.put("quarkus.datasource.password", pg.password());
        p.put("trackline.api.keys.system-tests", Pipeline.API_KEY);
        p.put("quarkus.rest-client.all24.url", simUrl + "/all24");
        p.put("quarkus.rest-client.247express.url", simUrl + "/247express");
        p.put("quarkus.rest-client.mrspeedy.url", simUrl + "/mrspeedy/api/business/1.0");
        p.put("trackline.pollers.all24.accounts." + ACCOUNT + ".api-key", ALL24_KEY);
        p.put("trackline.pollers.247express.accounts." + ACCOUNT + ".api-key", EXPRESS_KEY);
        p.put("trackline.pollers.mrspeedy.reconcile.enabled", "false");
        pollers = ServiceProcess.start("pollers", p);
        pollers.awaitReady();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (pollers != null) {
            pollers.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void aSubscribedAll24ShipmentsFirstAnswerIsOnItsTimeline() {
        String reference = createShipment("all24");
        subscribe("all24", reference);
        Response timeline = awaitTimeline("all24", reference);
        assertThat(timeline.jsonPath().getString("shipment.shipmentId"))
                .isEqualTo("all24:" + ACCOUNT + ":" + reference);
        assertThat(timeline.jsonPath().getString("shipment.status")).isEqualTo("INFO_RECEIVED");
        assertThat(timeline.jsonPath().getList("events.rawCode")).containsExactly("050000");
    }

    @Test
    void aSubscribed247ExpressShipmentsFirstAnswerIsOnItsTimeline() {
        String reference = createShipment("247express");
        subscribe("247express", reference);
        Response timeline = awaitTimeline("247express", reference);
        assertThat(timeline.jsonPath().getString("shipment.shipmentId"))
                .isEqualTo("247express:" + ACCOUNT + ":" + reference);
        assertThat(timeline.jsonPath().getString("shipment.status")).isEqualTo("INFO_RECEIVED");
        assertThat(timeline.jsonPath().getList("events.rawCode")).containsExactly("ACCEPTED");
    }

    static String createShipment(String carrier) {
        return given().contentType("application/json")
                .body(Map.of("carrier", carrier, "account", ACCOUNT, "scenario", "delivered"))
                .post(sim.url("/sim/shipments"))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("reference");
    }

    static void subscribe(String carrier, String reference) {
        given().contentType("application/json")
                .header("X-API-Key", Pipeline.API_KEY)
                .body(Map.of("carrier", carrier, "account", ACCOUNT, "reference", reference))
                .post(pollers.url("/api/v1/subscriptions"))
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201, 202));
    }

    static Response awaitTimeline(String carrier, String reference) {
        return await(carrier + " timeline of " + reference)
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> given().header("X-API-Key", Pipeline.API_KEY)
                                .get(store.url("/api/v1/shipments/" + carrier + "/" + reference + "/timeline")),
                        r -> r.statusCode() == 200);
    }
}
