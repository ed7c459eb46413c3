package io.trackline.store;

import static io.restassured.RestAssured.given;
import static io.trackline.store.Events.event;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.store.messaging.ConsumerStuckCheck;
import io.trackline.testsupport.TestInfra;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** PostgreSQL stops in the middle of a stream of events and comes back: consumption pauses, nothing is lost. */
@QuarkusTest
@TestProfile(PostgresRestartIT.OwnPostgres.class)
@WithTestResource(StoreKafkaResource.class)
class PostgresRestartIT {

    static TestInfra.EmbeddedServer server;

    /** The application on a PostgreSQL server of this test's own, which it stops and starts. */
    public static class OwnPostgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            synchronized (PostgresRestartIT.class) {
                if (server == null) {
                    server = TestInfra.startOwnPostgres();
                    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "own-postgres-stop"));
                }
            }
            return Map.of(
                    "quarkus.datasource.jdbc.url",
                    "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres",
                    "quarkus.datasource.reactive.url",
                    "postgresql://127.0.0.1:" + server.port() + "/postgres",
                    "quarkus.datasource.username",
                    "postgres",
                    "quarkus.datasource.password",
                    "",
                    "mp.messaging.incoming.events-in.group.id",
                    "status-store-restart-" + UUID.randomUUID(),
                    "trackline.store.retry.max-back-off",
                    "1s");
        }
    }

    static int storedEvents(String account) throws Exception {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres", "postgres", "");
                PreparedStatement s =
                        c.prepareStatement("SELECT count(*) FROM timeline_event WHERE shipment_id LIKE ?")) {
            s.setString(1, "all24:" + account + ":%");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    static double failedWrites() {
        return metric("trackline_store_batch_write_failures_total");
    }

    static List<CanonicalEvent> wave(String account, int shipments, int fromMinute, CanonicalStatus status) {
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < shipments; i++) {
            events.add(event(Carrier.ALL24, account, "R" + i, fromMinute, status));
        }
        return events;
    }

    @Test
    void anOutagePausesConsumptionAndLosesNothing() throws Exception {
        String account = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        int shipments = 50;
        Events.send(wave(account, shipments, 1, CanonicalStatus.INFO_RECEIVED));
        await().atMost(Duration.ofSeconds(60)).until(() -> storedEvents(account) == shipments);
        double failuresBefore = failedWrites();

        server.stop();
        try {
            Events.send(wave(account, shipments, 2, CanonicalStatus.PICKED_UP));
            Events.send(wave(account, shipments, 3, CanonicalStatus.IN_TRANSIT));
            // the consumer tried, failed, and keeps the batch instead of moving on
            await().atMost(Duration.ofSeconds(60)).until(() -> failedWrites() > failuresBefore);
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            server.restart();
        }
        Events.send(wave(account, shipments, 4, CanonicalStatus.DELIVERED));

        await().atMost(Duration.ofSeconds(90)).until(() -> storedEvents(account) == 4 * shipments);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("X-API-Key", StatusStoreIT.KEY)
                        .queryParam("account", account)
                        .get("/api/v1/shipments/all24/R7/timeline")
                        .then()
                        .statusCode(200)
                        .body("shipment.status", equalTo("DELIVERED"))
                        .body("events.size()", equalTo(4)));
        given().header("X-API-Key", StatusStoreIT.KEY)
                .queryParam("account", account)
                .queryParam("status", "DELIVERED")
                .queryParam("limit", 500)
                .get("/api/v1/shipments")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(shipments));
        assertThat(storedEvents(account)).isEqualTo(4 * shipments);
        // readiness follows the datasource check, which reconnects on its own schedule
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    static Map<String, Object> progressCheck() {
        List<Map<String, Object>> checks =
                given().get("/q/health/ready").jsonPath().getList("checks");
        return checks.stream()
                .filter(c -> ConsumerStuckCheck.NAME.equals(c.get("name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + ConsumerStuckCheck.NAME + " in " + checks));
    }

    /** While the database is away, records wait and no offset moves: the partition is stuck, and says so. */
    @Test
    @SuppressWarnings("unchecked")
    void aPartitionThatStopsMovingWhileRecordsWaitTurnsReadinessDown() throws Exception {
        String account = "stuck-" + UUID.randomUUID().toString().substring(0, 8);
        Events.send(wave(account, 10, 1, CanonicalStatus.INFO_RECEIVED));
        await().atMost(Duration.ofSeconds(60)).until(() -> storedEvents(account) == 10);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(progressCheck().get("status")).isEqualTo("UP"));

        server.stop();
        try {
            Events.send(wave(account, 10, 2, CanonicalStatus.PICKED_UP));
            // stuck-after is 6 s in tests; the write is retried meanwhile, nothing commits
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        Map<String, Object> check = progressCheck();
                        assertThat(check.get("status")).isEqualTo("DOWN");
                        Map<String, Object> data = (Map<String, Object>) check.get("data");
                        assertThat((String) data.get("stuck-partitions")).isNotBlank();
                        assertThat(((Number) data.get("lag")).longValue()).isPositive();
                        assertThat(data.get("stuck-after")).isEqualTo("PT6S");
                    });
            given().get("/q/health/ready").then().statusCode(503);
            assertThat(metric("trackline_store_consumer_lag_records")).isPositive();
            assertThat(metric("trackline_store_consumer_stuck")).isGreaterThanOrEqualTo(1);
            given().get("/q/health/live").then().statusCode(200); // waiting is not a reason to restart
        } finally {
            server.restart();
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> storedEvents(account) == 20);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(progressCheck().get("status")).isEqualTo("UP");
            assertThat(metric("trackline_store_consumer_stuck")).isZero();
            assertThat(metric("trackline_store_consumer_lag_records")).isZero();
        });
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }
}
