package io.trackline.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trackline.events.Topics;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.TopicContents;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * What any Kafka tool sees of an accepted callback on {@code trackline.raw.v1}, read with a plain byte consumer and no
 * Trackline code: the value is the HTTP body byte for byte (Thai text, indentation, line ends and all), and the
 * envelope's fields are CloudEvents headers in binary mode.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class RawRecordOnTheWireIT {

    @Test
    void theValueIsTheBodyAsItCameAndTheHeadersAreCloudEventsAttributes() throws Exception {
        long orderId = ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L);
        byte[] body = ("{\r\n\t\"event_datetime\" : \"2026-11-25T17:30:13+07:00\",\n  \"order\": {\"order_id\": "
                        + orderId + ",  \"status\": \"available\",\n    \"points\": [ {\"address\": \"ถนน สุขุมวิท "
                        + "กรุงเทพมหานคร \\\"A\\\" 😀\"} ] }\n}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        String requestId = "req-" + UUID.randomUUID();
        String signature = Fixtures.sign(body, Fixtures.ACME_SECRET);
        OffsetDateTime sent = OffsetDateTime.now();

        given().contentType("application/json; charset=UTF-8")
                .header("X-DV-Signature", signature)
                .header("X-Request-Id", requestId)
                .header("User-Agent", "MrSpeedy-Webhook/2.0")
                .body(body)
                .when()
                .post("/webhooks/mrspeedy/acme")
                .then()
                .statusCode(200);

        String key = "mrspeedy:acme:" + orderId;
        ConsumerRecord<byte[], byte[]> record = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> raw().stream()
                                .filter(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                                .findFirst()
                                .orElse(null),
                        r -> r != null);

        assertThat(record.value()).as("the HTTP body, byte for byte").isEqualTo(body);
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .contains("ถนน สุขุมวิท กรุงเทพมหานคร")
                .startsWith("{\r\n\t\"event_datetime\" : ")
                .endsWith("}\n}\n\n");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(UUID.fromString(header(record, "ce_id")).version()).isEqualTo(8);
        assertThat(header(record, "ce_source")).isEqualTo("/trackline/ingest-webhooks");
        assertThat(header(record, "ce_type")).isEqualTo("io.trackline.carrier.payload.v1");
        assertThat(OffsetDateTime.parse(header(record, "ce_time")))
                .isBetween(sent.minusSeconds(5), OffsetDateTime.now().plusSeconds(1));
        assertThat(header(record, "ce_subject")).isEqualTo(Long.toString(orderId));
        assertThat(header(record, "content-type")).isEqualTo("application/json; charset=UTF-8");
        assertThat(header(record, "ce_carrier")).isEqualTo("mrspeedy");
        assertThat(header(record, "ce_account")).isEqualTo("acme");
        assertThat(header(record, "ce_sourcekind")).isEqualTo("webhook");
        assertThat(header(record, "ce_requestid")).isEqualTo(requestId);
        assertThat(header(record, "ce_contentdigest"))
                .isEqualTo("sha-256:"
                        + HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        JsonNode http = new ObjectMapper().readTree(header(record, "ce_httpheaders"));
        assertThat(http.path("X-DV-Signature").asText()).isEqualTo(signature);
        assertThat(http.path("X-Request-Id").asText()).isEqualTo(requestId);
        assertThat(http.path("User-Agent").asText()).isEqualTo("MrSpeedy-Webhook/2.0");
        assertThat(http.path("Content-Type").asText()).isEqualTo("application/json; charset=UTF-8");
        assertThat(record.headers().lastHeader("traceparent"))
                .as("tracing is off by default: no trace context on the record")
                .isNull();
        for (Header h : record.headers()) {
            assertThat(new String(h.value(), StandardCharsets.UTF_8))
                    .as(h.key())
                    .doesNotContain(Fixtures.ACME_SECRET);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Every record of the raw topic, keys and values as bytes. */
    private static List<ConsumerRecord<byte[], byte[]>> raw() {
        return TopicContents.read(Topics.RAW, new ByteArrayDeserializer());
    }
}
