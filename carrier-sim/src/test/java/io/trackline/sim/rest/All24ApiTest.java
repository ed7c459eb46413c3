package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** all24's tracking API as its document shows it: both parameter spellings, the third-party form, every error. */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class All24ApiTest {

    static final String PATH = "/all24/v1/tracking/orders";
    static final String KEY = "demo-all24-key-not-real";

    @Test
    void aDeliveredOrderAnswersLikeTheDocumentsExampleNewestFirst() {
        JsonPath created = Sim.create("all24", "demo", "delivered");
        String number = created.getString("reference");
        Sim.finish(created);

        JsonPath answer = given().auth()
                .preemptive()
                .basic(KEY, "")
                .queryParam("all24_tracking_number", number)
                .get(PATH)
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("response_code", equalTo(200))
                .body("error_codes", empty())
                .extract()
                .jsonPath();
        Map<String, Object> order = answer.getMap("'" + number + "'");
        assertThat(order)
                .containsKeys(
                        "origin_order_date",
                        "order_ref_id",
                        "hs_order_ref",
                        "expected_completion",
                        "sender_location",
                        "recipient_location",
                        "history");
        assertThat(order.get("hs_order_ref")).isEqualTo(number);
        assertThat((String) order.get("origin_order_date"))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00");
        assertThat(answer.getMap("'" + number + "'.sender_location"))
                .containsOnlyKeys("location_name", "addressline1", "service_area", "postcode");
        List<String> codes = answer.getList("'" + number + "'.history.event_code");
        List<String> names = answer.getList("'" + number + "'.history.event_name");
        List<String> times = answer.getList("'" + number + "'.history.event_time");
        assertThat(codes).containsExactly("500000", "300000", "200000", "100000", "050000");
        assertThat(names)
                .containsExactly("Delivery complete", "Goods arrived", "Picked up", "Goods received", "Order received");
        assertThat(times).allMatch(t -> t.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"));
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(answer.getMap("'" + number + "'.history[0].location"))
                .containsOnlyKeys("location_name", "service_area", "postcode");
        // The simulator's truth is the same history, oldest first, with the times as all24 writes them.
        List<String> rawTimes = given().queryParam("reference", number)
                .get("/sim/truth/changes")
                .then()
                .statusCode(200)
                .extract()
                .path("changes.rawTime");
        List<String> oldestFirst = new ArrayList<>(times);
        Collections.reverse(oldestFirst);
        assertThat(rawTimes).containsExactlyElementsOf(oldestFirst);
    }

    @Test
    void theOtherSpellingAndTheFormPostOfTheCurlExampleFindTheSameOrder() {
        JsonPath created = Sim.create("all24", "demo", "delivered");
        String number = created.getString("reference");
        String byGet = given().auth()
                .preemptive()
                .basic(KEY, "")
                .queryParam("all24_tracking_number", number)
                .get(PATH)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        given().auth()
                .preemptive()
                .basic(KEY, "")
                .queryParam("all_24_tracking_number", number)
                .get(PATH)
                .then()
                .statusCode(200)
                .body(equalTo(byGet));
        given().auth()
                .preemptive()
                .basic(KEY, "")
                .formParam("all24_tracking_number", number)
                .post(PATH)
                .then()
                .statusCode(200)
                .body(equalTo(byGet));
    }

    @Test
    void theThirdPartyFormFindsTheOrderByTheSellersNumberAndCustomerId() {
        JsonPath created = Sim.create("all24", "demo", "cancelled_by_customer");
        String number = created.getString("reference");
        String thirdParty = created.getString("references.tracking_number");
        assertThat(created.getString("references.customer_id")).isEqualTo("12345");
        Sim.finish(created);
        JsonPath answer = given().auth()
                .preemptive()
                .basic(KEY, "")
                .queryParam("tracking_number", thirdParty)
                .queryParam("customer_id", "12345")
                .get(PATH)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(answer.getString("'" + thirdParty + "'.hs_order_ref")).isEqualTo(number);
        assertThat(answer.getList("'" + thirdParty + "'.history.event_code")).containsExactly("401100", "050000");
        assertThat(answer.getList("'" + thirdParty + "'.history.event_name"))
                .containsExactly("Order cancelled (by customer)", "Order received");
        given().auth()
                .preemptive()
                .basic(KEY, "")
                .formParam("tracking_number", thirdParty)
                .formParam("customer_id", "12345")
                .post(PATH)
                .then()
                .statusCode(200);
        given().auth()
                .preemptive()
                .basic(KEY, "")
                .queryParam("tracking_number", thirdParty)
                .queryParam("customer_id", "99999")
                .get(PATH)
                .then()
                .statusCode(400)
                .body("response_code", equalTo(400))
                .body("error_codes", contains(1350));
    }

    @Test
    void aCancellationByTheCarrierEndsTheHistory() {
        JsonPath created = Sim.create("all24", "demo", "cancelled_by_carrier");
        Sim.finish(created);
        List<String> codes = given().auth()
                .preemptive()
                .basic(KEY, "")
                .queryParam("all24_tracking_number", created.getString("reference"))
                .get(PATH)
                .then()
                .statusCode(200)
                .extract()
                .path("'" + created.getString("reference") + "'.history.event_code");
        assertThat(codes.get(0)).isEqualTo("401101");
        assertThat(codes).endsWith("100000", "050000");
    }

    @Test
    void missingParametersAre1000AndUnknownOrOtherAccountsOrdersAre1350() {
        given().auth()
                .preemptive()
                .basic(KEY, "")
                .get(PATH)
                .then()
                .statusCode(400)
                .body("response_code", equalTo(400))
                .body("error_codes", contains(1000));
        given().auth()
                .preemptive()
                .basic(KEY, "")
                .queryParam("tracking_number", "TP1")
                .get(PATH)
                .then()
                .statusCode(400)
                .body("error_codes", contains(1000));
        given().auth()
                .preemptive()
                .basic(KEY, "")
                .queryParam("all24_tracking_number", "HSNOSUCH")
                .get(PATH)
                .then()
                .statusCode(400)
                .body("error_codes", contains(1350));
        String number = Sim.create("all24", "demo", "delivered").getString("reference");
        given().auth()
                .preemptive()
                .basic("other-all24-key-not-real", "")
                .queryParam("all24_tracking_number", number)
                .get(PATH)
                .then()
                .statusCode(400)
                .body("error_codes", contains(1350));
    }

    @Test
    void withoutAValidKeyTheAnswerIs401() {
        given().get(PATH)
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"all24\"")
                .body("response_code", equalTo(401))
                .body("error_codes", empty());
        given().auth().preemptive().basic("not-a-key", "").get(PATH).then().statusCode(401);
        given().header("Authorization", "Basic %%%").get(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer " + KEY).get(PATH).then().statusCode(401);
        // The key with a password is still the key: all24 ignores the password.
        given().auth().preemptive().basic(KEY, "whatever").get(PATH).then().statusCode(400);
    }

    @Test
    void unknownPathsAnswerInAll24sShape() {
        given().auth()
                .preemptive()
                .basic(KEY, "")
                .get("/all24/v1/nothing")
                .then()
                .statusCode(404)
                .body("response_code", equalTo(404));
    }
}
