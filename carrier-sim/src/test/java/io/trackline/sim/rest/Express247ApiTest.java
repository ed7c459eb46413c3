package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 247Express's tracking API: the documented fields, the delay reason while pending, every error code. */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class Express247ApiTest {

    static final String PATH = "/247express/api/Order/v1/Tracking";
    static final String KEY = "demo-247express-key-not-real";

    private static JsonPath track(String key, String orderCode) {
        return given().queryParam("apikey", key)
                .queryParam("ordercode", orderCode)
                .get(PATH)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .jsonPath();
    }

    @Test
    void aDeliveredOrderHasTheDocumentedFieldsAndVietnameseNames() {
        JsonPath created = Sim.create("247express", "demo", "delivered");
        String code = created.getString("reference");
        assertThat(code).matches("[A-Za-z0-9_-]{5,20}");
        Sim.finish(created);
        JsonPath answer = track(KEY, code);
        assertThat(answer.getString("errorCode")).isNull();
        assertThat(answer.getString("errorMessage")).isNull();
        assertThat(answer.getString("orderCode")).isEqualTo(code);
        assertThat(answer.getString("status")).isEqualTo("DELIVERED");
        assertThat(answer.getString("statusName")).isEqualTo("DELIVERED");
        assertThat(answer.getString("delayCode")).isNull();
        assertThat(answer.getMap(""))
                .containsKeys(
                        "delayNote",
                        "deliveryNotes",
                        "deliveryDate",
                        "receiverName",
                        "mailerTypeID",
                        "length",
                        "width",
                        "height",
                        "realWeight",
                        "calWeight",
                        "weight",
                        "quantity",
                        "price",
                        "priceFR",
                        "farRegionFeeAmount",
                        "fuelFeeAmount",
                        "vatAmount",
                        "totalServiceCost",
                        "priceInfo",
                        "statuses",
                        "trackings",
                        "estimateRoutes",
                        "confirmImage",
                        "acceptDate");
        assertThat(answer.getList("statuses.status"))
                .containsExactly("ACCEPTED", "PICKED_UP", "IN_TRANSIT", "DELIVERING", "DELIVERED");
        assertThat(answer.getList("statuses.time", String.class))
                .allMatch(t -> t.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"))
                .isSorted();
        assertThat(answer.getList("statuses.trackingName")).contains("Giao hàng thành công");
        List<Map<String, Object>> trackings = answer.getList("trackings");
        assertThat(trackings)
                .isNotEmpty()
                .allSatisfy(t -> assertThat(t)
                        .containsOnlyKeys(
                                "statusID",
                                "statusName",
                                "postOfficeID",
                                "postOfficeName",
                                "provinceID",
                                "provinceName",
                                "dateChange",
                                "notes"));
        assertThat(answer.getList("trackings.postOfficeName", String.class)).anyMatch(n -> n.startsWith("Bưu cục"));
        assertThat(answer.getString("deliveryDate")).isEqualTo(answer.getString("statuses[4].time"));
        assertThat(answer.getString("acceptDate")).isEqualTo(answer.getString("statuses[1].time"));
    }

    @Test
    void aFailedAttemptShowsItsDelayReasonOnlyUntilTheNextAttempt() {
        JsonPath created = Sim.create("247express", "demo", "failed_then_delivered");
        String code = created.getString("reference");
        List<String> steps = created.getList("steps.code");
        int pending = steps.indexOf("PENDING_FOR_PROCEED");
        Sim.advanceToStep(created, pending + 1);
        JsonPath answer = track(KEY, code);
        assertThat(answer.getString("status")).isEqualTo("PENDING_FOR_PROCEED");
        assertThat(answer.getInt("delayCode")).isEqualTo(Integer.parseInt(steps.get(pending + 1)));
        assertThat(answer.getString("delayNote")).isEqualTo(created.getString("steps[" + (pending + 1) + "].name"));
        Sim.advanceToStep(created, pending + 2);
        answer = track(KEY, code);
        assertThat(answer.getString("status")).isEqualTo("DELIVERING");
        assertThat(answer.getString("delayCode")).isNull();
        // The referee: the delay reason was served while it showed; the next attempt's is served only if seen.
        List<Map<String, Object>> changes = given().queryParam("reference", code)
                .get("/sim/truth/changes")
                .then()
                .extract()
                .path("changes");
        assertThat(changes.get(pending + 1)).containsEntry("field", "delayCode").containsEntry("servedVia", "poll");
    }

    @Test
    void returnedLostConfiscatedAndCancelledOrdersEndAsTheDocumentNamesThem() {
        for (Map.Entry<String, String> scenario : Map.of(
                        "returned", "RETURNED", "lost", "LOST", "confiscated", "CONFISCATED", "cancelled", "CANCEL")
                .entrySet()) {
            JsonPath created = Sim.create("247express", "demo", scenario.getKey());
            Sim.finish(created);
            assertThat(track(KEY, created.getString("reference")).getString("status"))
                    .isEqualTo(scenario.getValue());
        }
    }

    @Test
    void bothSpellingsOfTheKeyWork() {
        String code = Sim.create("247express", "demo", "delivered").getString("reference");
        given().queryParam("apiKey", KEY)
                .queryParam("ordercode", code)
                .get(PATH)
                .then()
                .statusCode(200)
                .body("orderCode", equalTo(code))
                .body("errorCode", nullValue());
    }

    @Test
    void everyDocumentedErrorCodeIsAnsweredWithItsMessage() {
        String mine = Sim.create("247express", "demo", "delivered").getString("reference");
        error(Map.of("ordercode", mine), "MISSING_APIKEY", "Missing Apikey.");
        error(Map.of("apikey", "no-such-key", "ordercode", mine), "APIKEY_NOT_FOUND", "Apikey is not found.");
        error(Map.of("apikey", KEY), "MISSING_ORDERCODE", "Missing Ordercode.");
        error(Map.of("apikey", KEY, "ordercode", "AB12"), "ORDERCODE_MIN_LENGTH", "OrderCode less than 5 characters.");
        error(
                Map.of("apikey", KEY, "ordercode", "A".repeat(21)),
                "ORDERCODE_MAX_LENGTH",
                "The maximum number of OrderCode is 20 characters.");
        error(
                Map.of("apikey", KEY, "ordercode", "EX247$00001"),
                "ORDERCODE_FORMAT_EXCEPTION",
                "The ordercode contain special characters (except _-).");
        error(Map.of("apikey", KEY, "ordercode", "EX247-NOSUCH"), "ORDERCODE_NOT_FOUND", "OrderCode is not found.");
        error(
                Map.of("apikey", "other-247express-key-not-real", "ordercode", mine),
                "ORDERCODE_DOES_NOT_BELONG_TO_YOUR_ACCOUNT",
                "Ordercode does not belong to your account.");
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "failureRate",
                        1.0,
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
                .statusCode(200)
                .body("failureRate", equalTo(1.0f));
        try {
            error(Map.of("apikey", KEY, "ordercode", mine), "EXCEPTION", "Unknown error, please contact 247.");
        } finally {
            given().contentType(ContentType.JSON)
                    .body(Map.of(
                            "failureRate",
                            0.0,
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
                    .statusCode(200);
        }
    }

    @Test
    void theKeysDailyLimitIsApikeyLimitUntilLocalMidnight() {
        String key = "tight-247express-key-not-real";
        for (int i = 0; i < 3; i++) {
            error(Map.of("apikey", key, "ordercode", "EX247-NOSUCH"), "ORDERCODE_NOT_FOUND", "OrderCode is not found.");
        }
        error(Map.of("apikey", key, "ordercode", "EX247-NOSUCH"), "APIKEY_LIMIT", "Look up more than 3 times/day.");
        // Malformed look-ups count too: the limit refuses them before they are read.
        error(Map.of("apikey", key, "ordercode", "x"), "APIKEY_LIMIT", "Look up more than 3 times/day.");
        ZoneId saigon = ZoneId.of("Asia/Ho_Chi_Minh");
        Instant now = Sim.now();
        Instant midnight = LocalDate.ofInstant(now, saigon)
                .plusDays(1)
                .atStartOfDay(saigon)
                .toInstant();
        Sim.advance(Duration.between(now, midnight));
        error(Map.of("apikey", key, "ordercode", "EX247-NOSUCH"), "ORDERCODE_NOT_FOUND", "OrderCode is not found.");
        Map<String, Object> quota = given().queryParam("carrier", "247express")
                .get("/sim/truth/quota")
                .then()
                .statusCode(200)
                .extract()
                .path("quotas.find { it.account == 'tight' && it.quota == 'per-day' }");
        assertThat(quota)
                .containsEntry("limit", 3)
                .containsEntry("overruns", 2)
                .containsEntry("used", 1)
                .containsEntry("window", "calendar day Asia/Ho_Chi_Minh");
    }

    private static void error(Map<String, String> params, String code, String message) {
        given().queryParams(params)
                .get(PATH)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("errorCode", equalTo(code))
                .body("errorMessage", equalTo(message));
    }
}
