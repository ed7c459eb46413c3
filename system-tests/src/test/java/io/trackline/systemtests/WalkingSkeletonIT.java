package io.trackline.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.Response;
import io.trackline.testsupport.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path, with the packaged services as processes on a real broker and a real PostgreSQL: a signed MrSpeedy
 * callback to ingest-webhooks, trackline.raw.v1, the normalizer, trackline.events.v1, status-store, the query API.
 */
class WalkingSkeletonIT {

    static final String ACCOUNT = Pipeline.ACCOUNT;
    static final String SECRET = Pipeline.SECRET;
    static final String API_KEY = Pipeline.API_KEY;

    static ServiceProcess store;
    static ServiceProcess ingest;

    @BeforeAll
    static void startPipeline() throws Exception {
        Pipeline.start();
        store = Pipeline.store();
        ingest = Pipeline.ingest();
    }

    @Test
    void signedCallbackBecomesATimelineAndWrongSignaturesGoNowhere() throws Exception {
        long order = ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
        long forged = order + 1;
        byte[] body = Callbacks.example(order);
        byte[] forgedBody = Callbacks.example(forged);

        given().contentType("application/json")
                .header("X-DV-Signature", Callbacks.signature(forgedBody, "not-the-secret"))
                .body(forgedBody)
                .when()
                .post(ingest.url("/webhooks/mrspeedy/" + ACCOUNT))
                .then()
                .statusCode(401)
                .body("code", equalTo("invalid_signature"));

        given().contentType("application/json")
                .header("X-DV-Signature", Callbacks.signature(body, SECRET))
                .body(body)
                .when()
                .post(ingest.url("/webhooks/mrspeedy/" + ACCOUNT))
                .then()
                .statusCode(200)
                .body("orderId", equalTo(String.valueOf(order)));

        Response timeline = await("timeline of order " + order)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> given().header("X-API-Key", API_KEY)
                                .get(store.url("/api/v1/shipments/mrspeedy/" + order + "/timeline")),
                        r -> r.statusCode() == 200);
        assertThat(timeline.jsonPath().getString("shipment.status")).isEqualTo("INFO_RECEIVED");
        assertThat(timeline.jsonPath().getString("shipment.shipmentId")).isEqualTo("mrspeedy:" + ACCOUNT + ":" + order);
        assertThat(timeline.jsonPath().getList("events.rawCode")).containsExactly("available");
        assertThat(timeline.jsonPath().getString("events[0].occurredAt")).isEqualTo("2019-02-16T17:30:13+07:00");

        given().header("X-API-Key", API_KEY)
                .get(store.url("/api/v1/shipments/mrspeedy/" + order))
                .then()
                .statusCode(200)
                .body("status", equalTo("INFO_RECEIVED"));
        given().header("X-API-Key", API_KEY)
                .get(store.url("/api/v1/shipments/mrspeedy/" + forged))
                .then()
                .statusCode(404)
                .body("code", equalTo("shipment_not_found"));

        // The forged callback was answered before the valid one was stored: had it been published, it would be there.
        List<String> rawKeys = rawKeys();
        assertThat(rawKeys)
                .contains("mrspeedy:" + ACCOUNT + ":" + order)
                .doesNotContain("mrspeedy:" + ACCOUNT + ":" + forged);
    }

    static List<String> rawKeys() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafka().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("trackline.raw.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(record.key());
                }
            }
        }
        return keys;
    }
}
