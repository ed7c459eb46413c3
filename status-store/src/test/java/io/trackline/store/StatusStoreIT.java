package io.trackline.store;

import static io.restassured.RestAssured.given;
import static io.trackline.events.CanonicalStatus.CANCELLED;
import static io.trackline.events.CanonicalStatus.DELIVERED;
import static io.trackline.events.CanonicalStatus.INFO_RECEIVED;
import static io.trackline.events.CanonicalStatus.IN_TRANSIT;
import static io.trackline.events.CanonicalStatus.OUT_FOR_DELIVERY;
import static io.trackline.events.CanonicalStatus.PICKED_UP;
import static io.trackline.events.CanonicalStatus.RETURNING;
import static io.trackline.store.Events.event;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.Carrier;
import io.trackline.testsupport.MetricsEndpoint;
import io.trackline.testsupport.PostgresTestResource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The consumer and the query API on the test JVM's real Kafka broker and PostgreSQL. */
@QuarkusTest
@WithTestResource(StoreKafkaResource.class)
@WithTestResource(PostgresTestResource.class)
class StatusStoreIT {

    static final String KEY = "test-api-key-not-real";
    static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URL root;

    static RequestSpecification api() {
        return given().header("X-API-Key", KEY);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JsonPath awaitTimeline(Carrier carrier, String reference, int events) {
        return await().atMost(WAIT)
                .until(
                        () -> api().get("/api/v1/shipments/" + carrier.id() + "/" + reference + "/timeline"),
                        r -> r.statusCode() == 200
                                && r.jsonPath().getList("events").size() == events)
                .jsonPath();
    }

    static int rows(String sql, String param) throws Exception {
        Config config = ConfigProvider.getConfig(); // the database the application under test was given
        try (Connection c = DriverManager.getConnection(
                        config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getOptionalValue("quarkus.datasource.password", String.class)
                                .orElse(""));
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    @Test
    void aRedeliveredEventChangesNothing() throws Exception {
        String ref = unique("IDEM");
        CanonicalEvent first = event(Carrier.ALL24, "acme", ref, 0, INFO_RECEIVED);
        CanonicalEvent second = event(Carrier.ALL24, "acme", ref, 10, PICKED_UP);
        Events.send(List.of(first, second));
        JsonPath before = awaitTimeline(Carrier.ALL24, ref, 2);
        double duplicatesBefore = metric("trackline_store_events_duplicate_total");

        Events.send(List.of(second, first, second));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(metric("trackline_store_events_duplicate_total"))
                        .isGreaterThanOrEqualTo(duplicatesBefore + 3));

        JsonPath after = awaitTimeline(Carrier.ALL24, ref, 2);
        assertThat(after.getString("shipment.status")).isEqualTo("PICKED_UP");
        assertThat(after.getString("shipment.updatedAt")).isEqualTo(before.getString("shipment.updatedAt"));
        assertThat(rows("SELECT count(*) FROM timeline_event WHERE shipment_id = ?", first.shipmentId()))
                .isEqualTo(2);
    }

    @Test
    void aLateOlderEventJoinsTheTimelineButDoesNotMoveTheStatusBack() {
        String ref = unique("LATE");
        Events.send(List.of(event(Carrier.ALL24, "acme", ref, 30, OUT_FOR_DELIVERY)));
        awaitTimeline(Carrier.ALL24, ref, 1);
        Events.send(List.of(
                event(Carrier.ALL24, "acme", ref, 10, PICKED_UP), event(Carrier.ALL24, "acme", ref, 20, IN_TRANSIT)));

        JsonPath timeline = awaitTimeline(Carrier.ALL24, ref, 3);
        assertThat(timeline.getString("shipment.status")).isEqualTo("OUT_FOR_DELIVERY");
        assertThat(timeline.getList("events.status")).containsExactly("PICKED_UP", "IN_TRANSIT", "OUT_FOR_DELIVERY");
        assertThat(timeline.getString("shipment.lastEventAt")).isEqualTo(timeline.getString("shipment.statusAt"));
    }

    @Test
    void aFinalStatusHoldsUntilAReversalTheCarrierDeclares() {
        // all24: delivered, then a stray later scan: still delivered, and the scan is in the timeline
        String all24 = unique("FIN");
        Events.send(List.of(
                event(Carrier.ALL24, "acme", all24, 1, DELIVERED), event(Carrier.ALL24, "acme", all24, 2, IN_TRANSIT)));
        JsonPath held = awaitTimeline(Carrier.ALL24, all24, 2);
        assertThat(held.getString("shipment.status")).isEqualTo("DELIVERED");
        assertThat(held.getString("shipment.lastEventAt")).isNotEqualTo(held.getString("shipment.statusAt"));

        // MrSpeedy: canceled, then reactivated
        String speedy = unique("REACT");
        Events.send(List.of(
                event(Carrier.MRSPEEDY, "acme", speedy, 1, CANCELLED, null, "canceled"),
                event(Carrier.MRSPEEDY, "acme", speedy, 2, INFO_RECEIVED, CanonicalReason.REACTIVATED, "reactivated")));
        JsonPath reopened = awaitTimeline(Carrier.MRSPEEDY, speedy, 2);
        assertThat(reopened.getString("shipment.status")).isEqualTo("INFO_RECEIVED");
        assertThat(reopened.getString("shipment.reason")).isEqualTo("REACTIVATED");

        // 247Express: delivered, then PENDING_FOR_RETURN
        String express = unique("RET");
        Events.send(List.of(
                event(Carrier.EXPRESS247, "acme", express, 1, DELIVERED),
                event(Carrier.EXPRESS247, "acme", express, 2, RETURNING, null, "PENDING_FOR_RETURN")));
        assertThat(awaitTimeline(Carrier.EXPRESS247, express, 2).getString("shipment.status"))
                .isEqualTo("RETURNING");
    }

    @Test
    void aLateReactivationIsDecidedFromTheWholeTimeline() {
        String ref = unique("REPLAY");
        Events.send(List.of(
                event(Carrier.MRSPEEDY, "acme", ref, 1, DELIVERED, null, "completed"),
                event(Carrier.MRSPEEDY, "acme", ref, 3, IN_TRANSIT, null, "active")));
        assertThat(awaitTimeline(Carrier.MRSPEEDY, ref, 2).getString("shipment.status"))
                .isEqualTo("DELIVERED");

        Events.send(List.of(
                event(Carrier.MRSPEEDY, "acme", ref, 2, INFO_RECEIVED, CanonicalReason.REACTIVATED, "reactivated")));
        JsonPath timeline = awaitTimeline(Carrier.MRSPEEDY, ref, 3);
        assertThat(timeline.getString("shipment.status")).isEqualTo("IN_TRANSIT");
        assertThat(timeline.getList("events.rawCode")).containsExactly("completed", "reactivated", "active");
    }

    @Test
    void shipmentsArePagedByKeysetWithFilters() {
        String account = unique("page");
        List<CanonicalEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(event(Carrier.EXPRESS247, account, "PAGE" + i + account.substring(5), i, IN_TRANSIT));
        }
        events.add(event(Carrier.EXPRESS247, account, "PAGEX" + account.substring(5), 9, DELIVERED));
        Events.send(events);
        await().atMost(WAIT)
                .until(() -> api().queryParam("account", account)
                                .queryParam("limit", 100)
                                .get("/api/v1/shipments")
                                .jsonPath()
                                .getList("items")
                                .size()
                        == 6);

        Set<String> seen = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        String after = null;
        do {
            RequestSpecification request = api().queryParam("account", account)
                    .queryParam("carrier", "247express")
                    .queryParam("status", "IN_TRANSIT")
                    .queryParam("limit", 2);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get("/api/v1/shipments")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> ids = page.getList("items.shipmentId");
            sizes.add(ids.size());
            assertThat(seen).doesNotContainAnyElementsOf(ids);
            seen.addAll(ids);
            after = page.getString("next");
        } while (after != null && sizes.size() < 10);
        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(seen).hasSize(5).allMatch(id -> id.startsWith("247express:" + account + ":PAGE"));

        api().queryParam("account", account)
                .queryParam("updatedSince", "2999-01-01T00:00:00Z")
                .get("/api/v1/shipments")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0))
                .body("$", not(hasKey("next")));
        api().queryParam("after", "not-a-cursor")
                .get("/api/v1/shipments")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_request"));
        api().queryParam("limit", 0)
                .get("/api/v1/shipments")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_request"));
        api().queryParam("status", "TELEPORTED")
                .get("/api/v1/shipments")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_request"));
    }

    @Test
    void anAmbiguousReferenceNeedsTheAccount() {
        String ref = unique("AMB");
        Events.send(List.of(
                event(Carrier.ALL24, "north", ref, 1, IN_TRANSIT), event(Carrier.ALL24, "south", ref, 1, DELIVERED)));
        await().atMost(WAIT)
                .untilAsserted(() -> api().get("/api/v1/shipments/all24/" + ref)
                        .then()
                        .statusCode(409)
                        .body("code", equalTo("ambiguous_reference")));
        api().queryParam("account", "south")
                .get("/api/v1/shipments/all24/" + ref)
                .then()
                .statusCode(200)
                .body("status", equalTo("DELIVERED"));
        api().get("/api/v1/shipments/all24/" + unique("NONE"))
                .then()
                .statusCode(404)
                .body("code", equalTo("shipment_not_found"));
        api().get("/api/v1/shipments/fedex/" + ref).then().statusCode(404).body("code", equalTo("shipment_not_found"));
    }

    @Test
    void onlyConfiguredKeysGetInAndOperationsEndpointsStayOpen() {
        given().get("/api/v1/shipments")
                .then()
                .statusCode(401)
                .body("code", equalTo("unauthorized"))
                .body("message", equalTo("send a valid API key in the X-API-Key header"));
        given().header("X-API-Key", "wrong-key")
                .get("/api/v1/shipments/all24/X123")
                .then()
                .statusCode(401)
                .body("code", equalTo("unauthorized"));
        given().get("/api/v1/shipments/all24/X123/stream").then().statusCode(401);
        given().get("/api/v1/no-such-thing").then().statusCode(401);
        api().get("/api/v1/shipments").then().statusCode(200);

        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
        Response openapi = given().accept("application/json").get("/q/openapi");
        openapi.then().statusCode(200);
        assertThat(openapi.jsonPath().getMap("paths"))
                .containsKeys(
                        "/api/v1/shipments",
                        "/api/v1/shipments/{carrier}/{reference}",
                        "/api/v1/shipments/{carrier}/{reference}/timeline",
                        "/api/v1/shipments/{carrier}/{reference}/stream");
        assertThat(openapi.jsonPath().getString("components.securitySchemes.apiKey.name"))
                .isEqualTo("X-API-Key");
    }

    @Test
    void theStreamSendsTheShipmentAndThenEachChange() throws Exception {
        String ref = unique("SSE");
        Events.send(List.of(event(Carrier.EXPRESS247, "acme", ref, 1, PICKED_UP)));
        awaitTimeline(Carrier.EXPRESS247, ref, 1);

        List<String> data = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(root + "api/v1/shipments/247express/" + ref + "/stream"))
                .header("X-API-Key", KEY)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = lines.readLine()) != null) {
                            if (line.startsWith("data:")) {
                                data.add(line.substring(5).trim());
                            }
                        }
                    } catch (Exception e) {
                        // the test closed the stream
                    }
                },
                "sse-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(WAIT).until(() -> data.size() >= 1);
            assertThat(JsonPath.from(data.get(0)).getString("status")).isEqualTo("PICKED_UP");

            Events.send(List.of(event(Carrier.EXPRESS247, "acme", ref, 2, IN_TRANSIT)));
            await().atMost(WAIT).until(() -> data.stream().anyMatch(d -> d.contains("\"IN_TRANSIT\"")));
            JsonPath change = JsonPath.from(data.get(data.size() - 1));
            assertThat(change.getString("status")).isEqualTo("IN_TRANSIT");
            assertThat(change.getString("shipmentId")).isEqualTo("247express:acme:" + ref);

            Events.send(List.of(event(Carrier.EXPRESS247, "acme", ref, 3, DELIVERED)));
            await().atMost(WAIT).until(() -> data.stream().anyMatch(d -> d.contains("\"DELIVERED\"")));
            assertThat(data).hasSize(3);
            // one JSON definition (ShipmentView): the change heard from PostgreSQL is what the query API answers
            Map<String, Object> streamed = JsonPath.from(data.get(2)).getMap("");
            Map<String, Object> queried =
                    api().get("/api/v1/shipments/247express/" + ref).jsonPath().getMap("");
            assertThat(streamed.keySet())
                    .containsExactlyInAnyOrderElementsOf(queried.keySet())
                    .contains("references", "statusAt", "statusEventId", "lastEventAt", "lastEventId", "updatedAt");
            queried.forEach((field, value) -> assertThat(
                            sameInstant(streamed.get(field), value) || Objects.equals(streamed.get(field), value))
                    .as(field + ": " + streamed.get(field) + " vs " + value)
                    .isTrue());
        } finally {
            response.body().close();
        }
    }

    /** Two times in the API's ISO-8601 form that name the same instant (the offset may be written either way). */
    static boolean sameInstant(Object a, Object b) {
        try {
            return a instanceof String x
                    && b instanceof String y
                    && OffsetDateTime.parse(x)
                            .toInstant()
                            .equals(OffsetDateTime.parse(y).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    @Test
    void unreadableRecordsAreCountedAndSkipped() {
        double before = metric("trackline_store_events_rejected_total");
        Events.sendRaw("all24:acme:BROKEN", "{not json");
        String ref = unique("AFTER");
        Events.send(List.of(event(Carrier.ALL24, "acme", ref, 1, IN_TRANSIT)));
        awaitTimeline(Carrier.ALL24, ref, 1);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(metric("trackline_store_events_rejected_total"))
                        .isGreaterThanOrEqualTo(before + 1));
    }

    @Test
    void theMetricsAreOnTheMetricsEndpoint() {
        String ref = unique("MET");
        Events.send(List.of(event(Carrier.ALL24, "acme", ref, 1, IN_TRANSIT)));
        awaitTimeline(Carrier.ALL24, ref, 1);
        String body = MetricsEndpoint.scrape();
        assertThat(body)
                .contains(
                        "trackline_store_events_stored_total",
                        "trackline_store_events_duplicate_total",
                        "trackline_store_batch_size_events_count",
                        "trackline_store_batch_write_seconds_count",
                        "trackline_store_consumer_lag_records");
        assertThat(metric("trackline_store_events_stored_total")).isGreaterThanOrEqualTo(1);
        assertThat(metric("trackline_store_batch_write_seconds_count")).isGreaterThanOrEqualTo(1);
    }
}
