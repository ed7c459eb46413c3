package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MrSpeedy's order list and courier calls, with the Business API's answers and error codes. */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class MrSpeedyApiTest {

    static final String BASE = "/mrspeedy/api/business/1.0";
    /** Only this test creates orders for the account {@code other}, so its list is known. */
    static final String OTHER = "other-mrspeedy-token-not-real";

    static RequestSpecification as(String token) {
        return given().header("X-DV-Auth-Token", token);
    }

    @Test
    void theOrderListIsSortedByOrderIdDescendingFilteredByStatusAndPaged() {
        List<JsonPath> created = new ArrayList<>();
        for (String scenario : List.of("completed", "canceled", "completed", "delayed")) {
            created.add(Sim.create("mrspeedy", "other", scenario));
        }
        Sim.finish(created.get(1));
        List<Long> ids = created.stream()
                .map(c -> Long.parseLong(c.getString("reference")))
                .sorted(Comparator.reverseOrder())
                .toList();

        JsonPath all = as(OTHER)
                .queryParam("count", 50)
                .get(BASE + "/orders")
                .then()
                .statusCode(200)
                .body("is_successful", equalTo(true))
                .extract()
                .jsonPath();
        assertThat(all.getList("orders.order_id", Long.class)).containsExactlyElementsOf(ids);
        assertThat(all.getInt("orders_count")).isEqualTo(4);

        JsonPath page = as(OTHER)
                .queryParam("offset", 1)
                .queryParam("count", 2)
                .get(BASE + "/orders")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(page.getList("orders.order_id", Long.class)).containsExactly(ids.get(1), ids.get(2));
        assertThat(page.getInt("orders_count")).isEqualTo(4);

        JsonPath canceled = as(OTHER)
                .queryParam("status", "canceled")
                .get(BASE + "/orders")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(canceled.getList("orders.order_id", Long.class))
                .containsExactly(Long.parseLong(created.get(1).getString("reference")));
        assertThat(canceled.getInt("orders_count")).isEqualTo(1);
        assertThat(canceled.getString("orders[0].finish_datetime")).matches(".*\\+07:00");

        Map<String, Object> order = all.getMap("orders[0]");
        assertThat(order)
                .containsKeys(
                        "order_id",
                        "order_name",
                        "vehicle_type_id",
                        "created_datetime",
                        "finish_datetime",
                        "status",
                        "matter",
                        "total_weight_kg",
                        "is_client_notification_enabled",
                        "is_contact_person_notification_enabled",
                        "loaders_count",
                        "backpayment_details",
                        "points",
                        "payment_amount",
                        "delivery_fee_amount",
                        "courier");
        assertThat((String) order.get("created_datetime")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00");
        assertThat(all.getString("orders[0].points[0].address")).contains("กรุงเทพมหานคร");
        assertThat(all.getMap("orders[0].points[0]"))
                .containsKeys(
                        "point_id",
                        "client_order_id",
                        "address",
                        "latitude",
                        "longitude",
                        "required_start_datetime",
                        "required_finish_datetime",
                        "arrival_start_datetime",
                        "arrival_finish_datetime",
                        "courier_visit_datetime",
                        "contact_person",
                        "taking_amount",
                        "buyout_amount",
                        "note");
        // By id, as the poller reconciles one order.
        as(OTHER)
                .queryParam("order_id", ids.get(3))
                .get(BASE + "/orders")
                .then()
                .statusCode(200)
                .body("orders_count", equalTo(1))
                .body("orders[0].order_id", equalTo(ids.get(3).intValue()));
    }

    @Test
    void badListParametersAreInvalidParametersWithTheDocumentsParameterCodes() {
        as(OTHER)
                .queryParam("status", "shipped")
                .get(BASE + "/orders")
                .then()
                .statusCode(400)
                .body("is_successful", equalTo(false))
                .body("errors", contains("invalid_parameters"))
                .body("parameter_errors.status", contains("invalid_order_status"));
        as(OTHER)
                .queryParam("count", 51)
                .queryParam("offset", -1)
                .get(BASE + "/orders")
                .then()
                .statusCode(400)
                .body("parameter_errors.count", contains("max_value"))
                .body("parameter_errors.offset", contains("min_value"));
        as(OTHER)
                .queryParam("order_id", "abc")
                .queryParam("page", 2)
                .get(BASE + "/orders")
                .then()
                .statusCode(400)
                .body("parameter_errors.order_id", contains("invalid_integer"))
                .body("parameter_errors.page", contains("unknown"));
    }

    @Test
    void theCourierIsShownWithItsLocationWhileTheOrderIsActive() {
        JsonPath created = Sim.create("mrspeedy", "demo", "completed");
        String id = created.getString("reference");
        as("demo-mrspeedy-token-not-real")
                .queryParam("order_id", id)
                .get(BASE + "/courier")
                .then()
                .statusCode(200)
                .body("is_successful", equalTo(true))
                .body("courier", nullValue());
        Sim.advanceToStep(created, created.getList("steps.code").indexOf("active"));
        JsonPath courier = as("demo-mrspeedy-token-not-real")
                .queryParam("order_id", id)
                .get(BASE + "/courier")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(courier.getMap("courier"))
                .containsOnlyKeys("courier_id", "name", "phone", "photo_url", "latitude", "longitude");
        assertThat(courier.getString("courier.latitude")).matches("\\d+\\.\\d+");
        Sim.finish(created);
        as("demo-mrspeedy-token-not-real")
                .queryParam("order_id", id)
                .get(BASE + "/courier")
                .then()
                .statusCode(200)
                .body("courier.courier_id", equalTo(courier.getInt("courier.courier_id")))
                .body("courier.latitude", nullValue());
        // Another account's order, an unknown one, none at all.
        as(OTHER)
                .queryParam("order_id", id)
                .get(BASE + "/courier")
                .then()
                .statusCode(400)
                .body("errors", contains("invalid_parameters"))
                .body("parameter_errors.order_id", contains("invalid_order"));
        as(OTHER)
                .queryParam("order_id", 1)
                .get(BASE + "/courier")
                .then()
                .statusCode(400)
                .body("parameter_errors.order_id", contains("invalid_order"));
        as(OTHER).get(BASE + "/courier").then().statusCode(400).body("parameter_errors.order_id", contains("required"));
    }

    @Test
    void tokensMethodsAndTheRootAnswerAsTheDocumentSays() {
        as(OTHER).get(BASE).then().statusCode(200).body("is_successful", equalTo(true));
        given().get(BASE + "/orders")
                .then()
                .statusCode(400)
                .body("is_successful", equalTo(false))
                .body("errors", contains("required_auth_token"));
        as("not-a-token").get(BASE + "/orders").then().statusCode(400).body("errors", contains("invalid_auth_token"));
        as(OTHER)
                .get(BASE + "/unknown")
                .then()
                .statusCode(400)
                .body("errors", contains("invalid_api_method"))
                .body("parameter_errors", nullValue());
        as(OTHER).post(BASE + "/orders").then().statusCode(400).body("errors", contains("required_method_get"));
    }
}
