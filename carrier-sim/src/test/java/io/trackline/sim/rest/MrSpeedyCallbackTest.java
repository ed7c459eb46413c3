package io.trackline.sim.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trackline.sim.CallbackReceiver;
import io.trackline.sim.CallbackReceiver.Received;
import io.trackline.sim.Sim;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Signed callbacks to a local receiver: the signature is recomputed here from the bytes received; a 500 is retried
 * with the same bytes; a receiver that never answers 200 is given up after 24 simulated hours.
 */
@QuarkusTest
@WithTestResource(CallbackReceiver.class)
class MrSpeedyCallbackTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String hmac(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void everyChangeIsASignedCallbackAndA500IsRetriedWithTheSameBytes() throws Exception {
        JsonPath created = Sim.create("mrspeedy", "hooked", "completed");
        String orderId = created.getString("reference");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CallbackReceiver.at("/hooked").size() >= 1);
        Received first = CallbackReceiver.at("/hooked").get(0);
        assertThat(first.signature()).isEqualTo(hmac(first.body(), "hooked-callback-secret-not-real"));
        assertThat(first.contentType()).startsWith("application/json");
        JsonNode body = JSON.readTree(first.body());
        assertThat(body.path("order").path("order_id").asText()).isEqualTo(orderId);
        assertThat(body.path("order").path("status").asText()).isEqualTo("new");
        assertThat(body.path("event_datetime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+07:00");

        // The receiver answered 500: the same bytes come again after the first retry interval (30 s simulated).
        await().atMost(Duration.ofSeconds(10)).until(() -> firstState().equals("pending"));
        Sim.advance(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CallbackReceiver.at("/hooked").size() >= 2);
        Received retry = CallbackReceiver.at("/hooked").get(1);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.signature()).isEqualTo(first.signature());
        await().atMost(Duration.ofSeconds(10)).until(() -> firstState().equals("delivered"));
        Map<String, Object> callback = callbacks().get(0);
        assertThat(callback).containsEntry("attempts", 2).containsEntry("lastAnswer", "200");

        // The rest of the order's life, one callback per change, each signed over its own bytes.
        Sim.finish(created);
        int changes = created.getList("steps").size();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CallbackReceiver.at("/hooked").size() >= changes + 1);
        List<Received> all = CallbackReceiver.at("/hooked");
        List<String> received = new ArrayList<>();
        for (Received r : all.subList(1, all.size())) {
            assertThat(r.signature()).isEqualTo(hmac(r.body(), "hooked-callback-secret-not-real"));
            received.add(event(JSON.readTree(r.body()).path("order")));
        }
        // Sent concurrently, so in any order: the order as it stood after each change.
        List<String> expected = new ArrayList<>();
        String status = null;
        boolean pickedUp = false;
        for (String code : created.<String>getList("steps.code")) {
            if (code.equals("pickup")) {
                pickedUp = true;
            } else if (!code.equals("stop") && !code.equals("dropoff")) {
                status = code;
            }
            expected.add(status + (pickedUp ? "+pickup" : ""));
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> callbacks().stream().allMatch(c -> c.get("state").equals("delivered")));
        // The referee: every change of the order reached the client, by callback.
        List<String> via = given().queryParam("reference", orderId)
                .get("/sim/truth/changes")
                .then()
                .statusCode(200)
                .extract()
                .path("changes.servedVia");
        assertThat(via).hasSize(changes).containsOnly("callback");
    }

    @Test
    void aReceiverThatNeverAnswers200IsGivenUpAfter24SimulatedHours() {
        JsonPath created = Sim.create("mrspeedy", "failing", "canceled");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !CallbackReceiver.at("/failing").isEmpty());
        Sim.finish(created);
        Sim.advance(Duration.ofHours(25));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> given()
                        .queryParam("account", "failing")
                        .get("/sim/truth/callbacks")
                        .then()
                        .extract()
                        .<List<String>>path("callbacks.state")
                        .stream()
                        .allMatch("given_up"::equals));
        List<Integer> attempts = given().queryParam("account", "failing")
                .get("/sim/truth/callbacks")
                .then()
                .extract()
                .path("callbacks.attempts");
        // 30 s, 1, 2, 4, 8, 16, 32 min, then hourly: about 30 attempts in 24 hours.
        assertThat(attempts).allSatisfy(n -> assertThat(n).isBetween(25, 35));
    }

    @Test
    void noiseSendsCallbacksTwiceAndAfterTheNextChangesCallback() throws Exception {
        Sim.noise(0, 0, 0, 1, 1, 0);
        JsonPath created;
        try {
            created = Sim.create("mrspeedy", "noisy", "canceled");
        } finally {
            Sim.quiet();
        }
        String orderId = created.getString("reference");
        // new and available are held back until a minute after the next change; canceled, the last, is not.
        Sim.advanceToStep(created, 1);
        assertThat(CallbackReceiver.at("/noisy")).isEmpty();
        Sim.finish(created);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CallbackReceiver.at("/noisy").stream()
                        .anyMatch(r -> body(r).contains("\"status\":\"canceled\"")));
        assertThat(CallbackReceiver.at("/noisy")).noneMatch(r -> body(r).contains("\"status\":\"available\""));
        Sim.advance(Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> CallbackReceiver.at("/noisy").size() >= 6);
        List<String> statuses = new ArrayList<>();
        for (Received r : CallbackReceiver.at("/noisy")) {
            assertThat(JSON.readTree(r.body()).path("order").path("order_id").asText())
                    .isEqualTo(orderId);
            assertThat(r.signature()).isEqualTo(hmac(r.body(), "noisy-callback-secret-not-real"));
            statuses.add(statusOf(r));
        }
        assertThat(statuses).containsExactlyInAnyOrder("new", "new", "available", "available", "canceled", "canceled");
        List<Integer> copies = given().queryParam("account", "noisy")
                .get("/sim/truth/callbacks")
                .then()
                .extract()
                .path("callbacks.copy");
        assertThat(copies).containsExactlyInAnyOrder(1, 2, 1, 2, 1, 2);
    }

    private static String body(Received r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String statusOf(Received r) throws Exception {
        return JSON.readTree(r.body()).path("order").path("status").asText();
    }

    private static String event(JsonNode order) {
        return order.path("status").asText()
                + (order.path("points").path(0).path("courier_visit_datetime").isNull() ? "" : "+pickup");
    }

    private static List<Map<String, Object>> callbacks() {
        return given().queryParam("account", "hooked")
                .get("/sim/truth/callbacks")
                .then()
                .statusCode(200)
                .extract()
                .path("callbacks");
    }

    /** The state of the account's first callback. */
    private static String firstState() {
        List<Map<String, Object>> all = callbacks();
        return all.isEmpty() ? "none" : (String) all.get(0).get("state");
    }
}
