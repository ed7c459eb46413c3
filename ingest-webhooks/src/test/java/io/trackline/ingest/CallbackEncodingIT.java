package io.trackline.ingest;

import static io.restassured.RestAssured.given;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.trackline.events.RawRecords;
import io.trackline.events.Topics;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.TopicContents;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9 at the edge: a correctly signed callback that is not UTF-8 JSON text (UTF-16 or UTF-32 without a byte order
 * mark, whose bytes are often well-formed UTF-8 and which Jackson would detect and read) is answered
 * {@code 400 invalid_json} and reaches no topic, so the normalizer never has to dead-letter it; a valid callback after
 * it is stored. The signature is right each time: only the encoding check refuses.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class CallbackEncodingIT {

    static final String ACME = "/webhooks/mrspeedy/acme";

    static long orderId() {
        return ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L);
    }

    static String callback(long orderId, String address) {
        return "{\"event_datetime\":\"" + OffsetDateTime.now().withNano(0) + "\",\"order\":{\"order_id\":" + orderId
                + ",\"status\":\"available\",\"points\":[{\"address\":\"" + address + "\"}]}}";
    }

    static Response post(byte[] body) {
        return given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(body, Fixtures.ACME_SECRET))
                .body(body)
                .when()
                .post(ACME);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE"})
    void aSignedCallbackInUtf16OrUtf32WithoutByteOrderMarkIsRefusedAndStoredNowhere(String charset) {
        long ascii = orderId();
        long thai = orderId();
        double before = rejected("invalid_json");

        post(callback(ascii, "33/5 Sukhumvit").getBytes(Charset.forName(charset)))
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_json"));
        post(callback(thai, "ถนน สุขุมวิท กรุงเทพมหานคร").getBytes(Charset.forName(charset)))
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_json"));
        assertThat(rejected("invalid_json")).isEqualTo(before + 2);

        long valid = orderId();
        post(callback(valid, "ถนน สุขุมวิท").getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(rawKeys()).contains("mrspeedy:acme:" + valid));
        assertThat(rawKeys()).doesNotContain("mrspeedy:acme:" + ascii, "mrspeedy:acme:" + thai);
    }

    @Test
    void aRawControlByteInUtf8IsRefusedAndByteOrderMarksAreHandledAsBefore() {
        long control = orderId();
        byte[] withControl = callback(control, "33/5\u0001Sukhumvit").getBytes(StandardCharsets.UTF_8);
        post(withControl).then().statusCode(400).body("code", equalTo("invalid_json"));

        long utf16Bom = orderId();
        byte[] bom16 = callback(utf16Bom, "x").getBytes(StandardCharsets.UTF_16); // big-endian with FE FF
        post(bom16).then().statusCode(400).body("code", equalTo("invalid_json"));

        // A UTF-8 byte order mark is UTF-8: accepted, and kept byte for byte as the record's value.
        long utf8Bom = orderId();
        byte[] json = callback(utf8Bom, "x").getBytes(StandardCharsets.UTF_8);
        byte[] bom8 = new byte[json.length + 3];
        bom8[0] = (byte) 0xef;
        bom8[1] = (byte) 0xbb;
        bom8[2] = (byte) 0xbf;
        System.arraycopy(json, 0, bom8, 3, json.length);
        post(bom8).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ConsumerRecord<String, byte[]> stored = raw().stream()
                    .filter(r -> r.key().equals("mrspeedy:acme:" + utf8Bom))
                    .findFirst()
                    .orElseThrow();
            assertThat(stored.value()).isEqualTo(bom8);
            assertThat(RawRecords.read(stored.headers(), stored.value())
                            .envelope()
                            .payload())
                    .isEqualTo(bom8);
        });
        assertThat(rawKeys()).doesNotContain("mrspeedy:acme:" + control, "mrspeedy:acme:" + utf16Bom);
    }

    static List<String> rawKeys() {
        return raw().stream().map(ConsumerRecord::key).toList();
    }

    static List<ConsumerRecord<String, byte[]>> raw() {
        return TopicContents.read(Topics.RAW, new StringDeserializer());
    }

    static double rejected(String reason) {
        return metric("trackline_webhooks_callbacks_rejected_total", Map.of("account", "acme", "reason", reason));
    }
}
