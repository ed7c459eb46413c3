package io.trackline.pollers;

import static io.restassured.RestAssured.given;
import static io.trackline.pollers.PollersTestData.api;
import static io.trackline.pollers.PollersTestData.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.PostgresTestResource;
import io.trackline.testsupport.TopicContents;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The subscriptions API as a caller sees it, and what it leaves on the topic and in PostgreSQL. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(SubscriptionSeed.class)
class SubscriptionApiIT {

    static String item(String carrier, String account, String reference) {
        return "{\"carrier\":\"" + carrier + "\",\"account\":\"" + account + "\",\"reference\":\"" + reference + "\"}";
    }

    static Response post(String body) {
        return api().contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions");
    }

    static List<ConsumerRecord<String, byte[]>> onTopic(String shipmentId) {
        return TopicContents.read(Topics.SUBSCRIPTIONS, new StringDeserializer()).stream()
                .filter(r -> shipmentId.equals(r.key()))
                .toList();
    }

    static long rows(String shipmentId) {
        return count(
                "SELECT count(*) FROM pollers.subscription WHERE shipment_id = ? AND deleted_at IS NULL", shipmentId);
    }

    @Test
    void oneSubscriptionIsCreatedOnTheTopicAndReadBackAtOnce() throws Exception {
        String code = PollersTestData.orderCode();
        String id = "247express:demo:" + code;
        JsonPath created = post("{\"carrier\":\"247express\",\"account\":\"demo\",\"reference\":\"" + code
                        + "\",\"unknown_field\":[1,2]}")
                .then()
                .statusCode(201)
                .contentType(ContentType.JSON)
                .body("shipment_id", equalTo(id))
                .body("carrier", equalTo("247express"))
                .body("account", equalTo("demo"))
                .body("reference", equalTo(code))
                .body("outcome", equalTo("created"))
                .body("subscribed_at", notNullValue())
                .body("status", nullValue())
                .extract()
                .jsonPath();

        // read-your-writes: the row is there when the POST is answered
        api().get("/api/v1/subscriptions/247express/" + code)
                .then()
                .statusCode(200)
                .body("shipment_id", equalTo(id))
                .body("subscribed_at", equalTo(created.getString("subscribed_at")))
                .body("outcome", nullValue());

        List<ConsumerRecord<String, byte[]>> records = onTopic(id);
        assertThat(records).hasSize(1);
        Subscription value = TracklineJson.mapper().readValue(records.get(0).value(), Subscription.class);
        assertThat(value)
                .isEqualTo(new Subscription(
                        Carrier.EXPRESS247,
                        "demo",
                        code,
                        null,
                        OffsetDateTime.parse(created.getString("subscribed_at"))));
        JsonNode json = TracklineJson.mapper().readTree(records.get(0).value());
        assertThat(json.has("customerId")).isFalse();
        assertThat(json.get("carrier").asText()).isEqualTo("247express");
    }

    @Test
    void subscribingTwiceIsHarmlessAndKeepsTheFirstTime() {
        String number = PollersTestData.all24Number();
        String id = "all24:demo:" + number;
        String first = post(item("all24", "demo", number))
                .then()
                .statusCode(201)
                .extract()
                .path("subscribed_at");
        post(item("all24", "demo", number))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("existing"))
                .body("subscribed_at", equalTo(first));
        post("[" + item("all24", "demo", number) + "," + item("all24", "demo", number) + "]")
                .then()
                .statusCode(200)
                .body("subscriptions", hasSize(2))
                .body("subscriptions.outcome", equalTo(List.of("existing", "existing")))
                .body("subscriptions.subscribed_at", equalTo(List.of(first, first)));
        // published again as the same record (its row may have outlived the topic's), one row
        List<ConsumerRecord<String, byte[]>> again = onTopic(id);
        assertThat(again).hasSize(3);
        assertThat(again)
                .extracting(ConsumerRecord::value)
                .allSatisfy(v -> assertThat(v).isEqualTo(again.get(0).value()));
        assertThat(rows(id)).isEqualTo(1);

        // the same shipment as a third party's number: customer_id changes, subscribed_at stays
        post("{\"carrier\":\"all24\",\"account\":\"demo\",\"reference\":\"" + number + "\",\"customer_id\":\"12345\"}")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("updated"))
                .body("customer_id", equalTo("12345"))
                .body("subscribed_at", equalTo(first));
        assertThat(onTopic(id)).hasSize(4);
    }

    @Test
    void aBatchIsSubscribedWholeInOrder() {
        List<String> ids = new ArrayList<>();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            String orderId = PollersTestData.orderId();
            ids.add("mrspeedy:demo:" + orderId);
            body.append(i == 0 ? "" : ",")
                    .append("{\"carrier\":\"mrspeedy\",\"account\":\"demo\",\"reference\":")
                    .append(orderId)
                    .append('}');
        }
        body.append(']');
        JsonPath answer = post(body.toString())
                .then()
                .statusCode(200)
                .body("subscriptions", hasSize(1000))
                .extract()
                .jsonPath();
        assertThat(answer.getList("subscriptions.shipment_id", String.class)).isEqualTo(ids);
        assertThat(answer.getList("subscriptions.outcome", String.class)).containsOnly("created");
        Set<String> onTopic = TopicContents.read(Topics.SUBSCRIPTIONS, new StringDeserializer()).stream()
                .map(ConsumerRecord::key)
                .collect(Collectors.toCollection(HashSet::new));
        assertThat(onTopic).containsAll(ids);
        assertThat(count(
                        "SELECT count(*) FROM pollers.subscription WHERE shipment_id = ANY (string_to_array(?, ','))",
                        String.join(",", ids)))
                .isEqualTo(1000);
    }

    @Test
    void moreThanOneThousandIsRefusedNamingTheLimit() {
        StringBuilder body = new StringBuilder("[");
        String first = PollersTestData.orderId();
        for (int i = 0; i < 1001; i++) {
            body.append(i == 0 ? "" : ",").append(item("mrspeedy", "demo", i == 0 ? first : PollersTestData.orderId()));
        }
        body.append(']');
        post(body.toString())
                .then()
                .statusCode(400)
                .body("code", equalTo("too_many_subscriptions"))
                .body("message", containsString("at most 1000"));
        assertThat(rows("mrspeedy:demo:" + first)).isZero();
    }

    @Test
    void anInvalidItemRefusesTheWholeBatchListingEachProblem() {
        String good = PollersTestData.orderCode();
        String goodNumber = PollersTestData.all24Number();
        String body = "[" + item("247express", "demo", good) // 0: valid
                + "," + item("247express", "demo", "ABCD") // 1: too short
                + "," + item("247express", "demo", "ABCDEFGHIJKLMNOPQRSTU") // 2: too long
                + "," + item("247express", "demo", "ABC$DE") // 3: a character 247Express refuses
                + "," + item("mrspeedy", "demo", "12x") // 4: not an integer
                + "," + item("mrspeedy", "demo", "0") // 5: not positive
                + "," + item("all24", "demo", "HS/1234") // 6: a character no tracking number has
                + "," + item("all24", "demo", "HS1") // 7: too short
                + ",{\"carrier\":\"247express\",\"account\":\"demo\",\"reference\":\"ABCDE\",\"customer_id\":\"1\"}" // 8
                + "," + item("fedex", "demo", "ABCDE") // 9: unknown carrier
                + "," + item("247express", "nobody", "ABCDE") // 10: account not configured
                + "," + item("all24", "demo", goodNumber) // 11: valid
                + "]";
        JsonPath refused = post(body)
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("code", equalTo("invalid_subscription"))
                .extract()
                .jsonPath();
        assertThat(refused.getList("problems.index", Integer.class)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(refused.getList("problems.field", String.class))
                .containsExactly(
                        "reference",
                        "reference",
                        "reference",
                        "reference",
                        "reference",
                        "reference",
                        "reference",
                        "customer_id",
                        "carrier",
                        "account");
        assertThat(refused.getString("problems[0].message")).contains("ORDERCODE_MIN_LENGTH");
        assertThat(refused.getString("problems[2].message")).contains("ORDERCODE_FORMAT_EXCEPTION");
        // nothing of it was stored or published
        assertThat(rows("247express:demo:" + good)).isZero();
        assertThat(rows("all24:demo:" + goodNumber)).isZero();
        assertThat(onTopic("247express:demo:" + good)).isEmpty();
    }

    @Test
    void malformedBodiesAndOtherTypesAreJsonErrors() {
        post("{\"carrier\":").then().statusCode(400).body("code", equalTo("invalid_json"));
        post("[{}] [").then().statusCode(400).body("code", equalTo("invalid_json"));
        post("").then().statusCode(400).body("code", equalTo("invalid_subscription"));
        post("42").then().statusCode(400).body("code", equalTo("invalid_subscription"));
        api().contentType("text/plain")
                .body(item("247express", "demo", "ABCDE"))
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(415)
                .contentType(ContentType.JSON)
                .body("code", equalTo("unsupported_media_type"));
        api().contentType(ContentType.JSON)
                .body("{}")
                .put("/api/v1/subscriptions")
                .then()
                .statusCode(405)
                .body("code", equalTo("method_not_allowed"));
    }

    @Test
    void withoutAValidKeyNothingIsAnswered() {
        given().contentType(ContentType.JSON)
                .body(item("247express", "demo", "ABCDE"))
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(401)
                .body("code", equalTo("unauthorized"))
                .body("message", equalTo("send a valid API key in the X-API-Key header"));
        given().header("X-API-Key", "wrong-key-not-real")
                .get("/api/v1/subscriptions")
                .then()
                .statusCode(401);
        given().delete("/api/v1/subscriptions/247express/ABCDE").then().statusCode(401);
        given().get("/api/v1/no-such-thing").then().statusCode(401);
        given().get("/q/health/live").then().statusCode(200);
        given().accept("application/json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("components.securitySchemes.apiKey.name", equalTo("X-API-Key"));
    }

    @Test
    void oneReferenceInTwoAccountsNeedsTheAccount() {
        String code = PollersTestData.orderCode();
        post("[" + item("247express", "demo", code) + "," + item("247express", "second", code) + "]")
                .then()
                .statusCode(200);
        api().get("/api/v1/subscriptions/247express/" + code)
                .then()
                .statusCode(409)
                .body("code", equalTo("ambiguous_reference"));
        api().queryParam("account", "second")
                .get("/api/v1/subscriptions/247express/" + code)
                .then()
                .statusCode(200)
                .body("shipment_id", equalTo("247express:second:" + code));
        api().delete("/api/v1/subscriptions/247express/" + code).then().statusCode(409);
        api().get("/api/v1/subscriptions/247express/" + code + "?acount=demo")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_request"))
                .body("message", containsString("acount"));
    }

    @Test
    void deleteEndsASubscriptionWithATombstone() {
        String orderId = PollersTestData.orderId();
        String id = "mrspeedy:demo:" + orderId;
        post(item("mrspeedy", "demo", orderId)).then().statusCode(201);
        api().delete("/api/v1/subscriptions/mrspeedy/" + orderId + "?account=demo")
                .then()
                .statusCode(204);
        api().get("/api/v1/subscriptions/mrspeedy/" + orderId)
                .then()
                .statusCode(404)
                .body("code", equalTo("subscription_not_found"));
        api().delete("/api/v1/subscriptions/mrspeedy/" + orderId).then().statusCode(404);
        api().delete("/api/v1/subscriptions/fedex/" + orderId).then().statusCode(404);

        List<ConsumerRecord<String, byte[]>> records = onTopic(id);
        assertThat(records).hasSize(2);
        assertThat(records.get(1).value()).isNull(); // the tombstone, under the same key
        assertThat(records.get(1).partition()).isEqualTo(records.get(0).partition());

        // subscribing again after the end starts anew
        String again = post(item("mrspeedy", "demo", orderId))
                .then()
                .statusCode(201)
                .extract()
                .path("outcome");
        assertThat(again).isEqualTo("created");
    }

    @Test
    void theListIsPagedByCursorAndFiltered() {
        // an account of its own, so the list holds only this test's subscriptions
        String prefix = "P" + PollersTestData.orderCode().substring(1, 8);
        List<String> codes = new ArrayList<>();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 7; i++) {
            String code = prefix + "-" + i;
            codes.add(code);
            body.append(i == 0 ? "" : ",").append(item("247express", "second", code));
        }
        post(body.append(']').toString()).then().statusCode(200);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = api().queryParam("carrier", "247express")
                    .queryParam("account", "second")
                    .queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/subscriptions")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Map<String, Object>> items = page.getList("subscriptions");
            assertThat(items).hasSizeLessThanOrEqualTo(3);
            items.forEach(i -> seen.add((String) i.get("reference")));
            cursor = page.getString("next");
            pages++;
        } while (cursor != null && pages < 1000);
        assertThat(seen).containsAll(codes);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).isSorted(); // shipment-id order within one carrier and account

        api().queryParam("limit", 0).get("/api/v1/subscriptions").then().statusCode(400);
        api().queryParam("limit", 501).get("/api/v1/subscriptions").then().statusCode(400);
        api().queryParam("carrier", "fedex").get("/api/v1/subscriptions").then().statusCode(400);
        api().queryParam("cursor", "not-a-cursor!")
                .get("/api/v1/subscriptions")
                .then()
                .statusCode(400)
                .body("message", containsString("cursor"));
        api().queryParam("colour", "red").get("/api/v1/subscriptions").then().statusCode(400);
    }
}
