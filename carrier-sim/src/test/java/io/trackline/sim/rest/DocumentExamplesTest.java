package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trackline.samples.CarrierSample;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.Sim;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every simulated API answers with the fields of its carrier document's example, read from carrier-samples (the same
 * samples the normalizer parses): each name at the same place, an object where the example has an object, a list
 * where it has a list, a string, number or boolean where it has one. The simulator may answer more (fields the
 * document lists but its example leaves out) and null where the example has a value (a value not known yet); it may
 * not leave out a field the example shows.
 */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class DocumentExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void all24TrackingAnswersWithTheFieldsOfTheDocumentsExample() throws IOException {
        JsonPath created = Sim.create("all24", "demo", "delivered");
        String number = created.getString("reference");
        Sim.finish(created);
        JsonNode answer = JSON.readTree(given().auth()
                .preemptive()
                .basic(All24ApiTest.KEY, "")
                .queryParam("all24_tracking_number", number)
                .get(All24ApiTest.PATH)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());

        // The example's order sits under its tracking number, HSBY37H7; the answer's under the one asked for.
        ObjectNode example = (ObjectNode) example(CarrierSample.ALL24_TRACKING);
        example.set(number, example.remove("HSBY37H7"));
        assertThat(missing(example, answer)).isEmpty();
    }

    @Test
    void express247TrackingAnswersWithTheFieldsOfTheDocumentsExample() throws IOException {
        JsonPath created = Sim.create("247express", "demo", "failed_then_delivered");
        String code = created.getString("reference");
        Sim.finish(created);
        JsonNode answer = JSON.readTree(given().queryParam("apikey", Express247ApiTest.KEY)
                .queryParam("ordercode", code)
                .get(Express247ApiTest.PATH)
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());

        ObjectNode example = (ObjectNode) example(CarrierSample.EXPRESS247_TRACKING);
        // The sample's one field the document does not name, there for readers to ignore: no carrier sends it.
        assertThat(example.remove("someFieldThe247DocDoesNotName")).isNotNull();
        assertThat(missing(example, answer)).isEmpty();
    }

    @Test
    void mrSpeedyOrderListAnswersWithTheFieldsOfTheDocumentsExample() throws IOException {
        JsonPath created = Sim.create("mrspeedy", "demo", "completed");
        String orderId = created.getString("reference");
        Sim.finish(created);
        JsonNode answer = JSON.readTree(MrSpeedyApiTest.as("demo-mrspeedy-token-not-real")
                .queryParam("order_id", orderId)
                .get(MrSpeedyApiTest.BASE + "/orders")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());

        assertThat(answer.path("orders")).hasSize(1);
        assertThat(missing(example(CarrierSample.MRSPEEDY_ORDERS), answer)).isEmpty();
    }

    @Test
    void mrSpeedyCallbacksHaveTheFieldsOfTheDocumentsExample() throws IOException {
        JsonPath created = Sim.create("mrspeedy", "documented", "completed");
        String orderId = created.getString("reference");
        Sim.finish(created);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        callbacks(orderId).size() >= created.getList("steps").size());

        JsonNode example = example(CarrierSample.MRSPEEDY_CALLBACK);
        for (JsonNode callback : callbacks(orderId)) {
            assertThat(missing(example, callback)).as(callback.toString()).isEmpty();
        }
    }

    private static List<JsonNode> callbacks(String orderId) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (CallbackReceiver.Received received : CallbackReceiver.at("/documented")) {
            JsonNode body = JSON.readTree(received.body());
            if (body.path("order").path("order_id").asText().equals(orderId)) {
                out.add(body);
            }
        }
        return out;
    }

    private static JsonNode example(CarrierSample sample) throws IOException {
        return JSON.readTree(sample.bytes());
    }

    /** What of the example the answer lacks, as paths ({@code order.points[].address}); empty when nothing. */
    static List<String> missing(JsonNode example, JsonNode answer) {
        List<String> out = new ArrayList<>();
        missing(example, answer, "", out);
        return out;
    }

    private static void missing(JsonNode example, JsonNode answer, String path, List<String> out) {
        if (example.isNull() || answer.isNull()) {
            return; // a null says nothing of the type; a value not known yet is null
        }
        if (example.isObject()) {
            if (!answer.isObject()) {
                out.add(path + " (an object in the example, " + answer.getNodeType() + " in the answer)");
                return;
            }
            for (Map.Entry<String, JsonNode> field : example.properties()) {
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                JsonNode value = answer.get(field.getKey());
                if (value == null) {
                    out.add(at);
                } else {
                    missing(field.getValue(), value, at, out);
                }
            }
        } else if (example.isArray()) {
            if (!answer.isArray()) {
                out.add(path + " (a list in the example, " + answer.getNodeType() + " in the answer)");
            } else if (!example.isEmpty()) {
                if (answer.isEmpty()) {
                    out.add(path + "[] (empty in the answer)");
                }
                // each element of the answer against the example's first (the examples' elements share a shape)
                for (JsonNode element : answer) {
                    missing(example.get(0), element, path + "[]", out);
                }
            }
        } else if (example.getNodeType() != answer.getNodeType()) {
            out.add(path + " (" + example.getNodeType() + " in the example, " + answer.getNodeType()
                    + " in the answer)");
        }
    }
}
