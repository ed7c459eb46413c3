package io.trackline.ingest.tracing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.Topics;
import io.trackline.ingest.Fixtures;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.TopicContents;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, an accepted callback is one trace: the HTTP request's server span, and its child, the producer span
 * of the raw record, whose context is the record's {@code traceparent} header (what the normalizer continues).
 */
@QuarkusTest
@TestProfile(TracingProfile.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class CallbackTracingIT {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theRawRecordCarriesTheContextOfAProducerSpanUnderTheCallbacksRequest() {
        spans.reset();
        long orderId = ThreadLocalRandom.current().nextLong(100_000_000_000L, 999_999_999_999L);
        byte[] body = ("{\"event_datetime\":\"2026-11-25T17:30:13+07:00\",\"order\":{\"order_id\":" + orderId
                        + ",\"status\":\"available\"}}")
                .getBytes(StandardCharsets.UTF_8);
        given().contentType("application/json")
                .header("X-DV-Signature", Fixtures.sign(body, Fixtures.ACME_SECRET))
                .body(body)
                .when()
                .post("/webhooks/mrspeedy/acme")
                .then()
                .statusCode(200);

        String key = "mrspeedy:acme:" + orderId;
        ConsumerRecord<byte[], byte[]> record = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> TopicContents.read(Topics.RAW, new ByteArrayDeserializer()).stream()
                                .filter(r -> key.equals(new String(r.key(), StandardCharsets.UTF_8)))
                                .findFirst()
                                .orElse(null),
                        r -> r != null);
        List<SpanData> finished = await().atMost(Duration.ofSeconds(10))
                .until(
                        spans::getFinishedSpanItems,
                        l -> l.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER)
                                && l.stream().anyMatch(s -> s.getKind() == SpanKind.PRODUCER));

        SpanData request = finished.stream()
                .filter(s -> s.getKind() == SpanKind.SERVER)
                .findFirst()
                .orElseThrow();
        SpanData publish = finished.stream()
                .filter(s -> s.getKind() == SpanKind.PRODUCER)
                .findFirst()
                .orElseThrow();
        assertThat(request.getName()).startsWith("POST");
        assertThat(publish.getName()).isEqualTo("publish " + Topics.RAW);
        assertThat(publish.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(header(record, "traceparent"))
                .isEqualTo("00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-01");
        assertThat(record.headers().headers("traceparent")).hasSize(1);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
