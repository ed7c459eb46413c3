package io.trackline.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.response.Response;
import io.trackline.testsupport.TestInfra;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path, with the packaged services as processes on a real broker and a real PostgreSQL: a signed MrSpeedy
 * callback to ingest-webhooks, trackline.raw.v1, the normalizer, trackline.events.v1, status-store, the query API.
 */
class WalkingSkeletonIT {

    static final String ACCOUNT = "it";
    static final String SECRET = "system-test-secret-not-real";
    static final String API_KEY = "system-test-api-key-not-real";

    static ServiceProcess store;
    static ServiceProcess normalizer;
    static ServiceProcess ingest;

    @BeforeAll
    static void startPipeline() throws Exception {
        String kafka = TestInfra.kafka().bootstrapServers();
        TestInfra.Postgres pg = TestInfra.postgres();
        store = ServiceProcess.start("status-store", Map.of(
                "kafka.bootstrap.servers", kafka,
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", pg.user(),
                "quarkus.datasource.password", pg.password(),
                "trackline.api.keys.system-tests", API_KEY));
        normalizer = ServiceProcess.start("normalizer", Map.of("kafka.bootstrap.servers", kafka));
        ingest = ServiceProcess.start("ingest-webhooks", Map.of("kafka.bootstrap.servers", kafka,
                "trackline.webhooks.mrspeedy.accounts." + ACCOUNT + ".secret", SECRET));
        store.awaitReady();
        normalizer.awaitReady();
        ingest.awaitReady();
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        for (ServiceProcess p : new ServiceProcess[] {ingest, normalizer, store}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @Test
    void signedCallbackBecomesATimelineAndWrongSignaturesGoNowhere() throws Exception {
        long order = ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
        long forged = order + 1;
        byte[] body = callback(order);
        byte[] forgedBody = callback(forged);

        given().contentType("application/json").header("X-DV-Signature", hmacHex(forgedBody, "not-the-secret"))
                .body(forgedBody)
                .when().post(ingest.url("/webhooks/mrspeedy/" + ACCOUNT))
                .then().statusCode(401).body("code", equalTo("invalid_signature"));

        given().contentType("application/json").header("X-DV-Signature", hmacHex(body, SECRET)).body(body)
                .when().post(ingest.url("/webhooks/mrspeedy/" + ACCOUNT))
                .then().statusCode(200).body("orderId", equalTo(String.valueOf(order)));

        Response timeline = await("timeline of order " + order).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> given().header("X-API-Key", API_KEY)
                        .get(store.url("/api/v1/shipments/mrspeedy/" + order + "/timeline")),
                        r -> r.statusCode() == 200);
        assertThat(timeline.jsonPath().getString("shipment.status")).isEqualTo("INFO_RECEIVED");
        assertThat(timeline.jsonPath().getString("shipment.shipmentId")).isEqualTo("mrspeedy:" + ACCOUNT + ":" + order);
        assertThat(timeline.jsonPath().getList("events.rawCode")).containsExactly("available");
        assertThat(timeline.jsonPath().getString("events[0].occurredAt")).isEqualTo("2019-02-16T17:30:13+07:00");

        given().header("X-API-Key", API_KEY).get(store.url("/api/v1/shipments/mrspeedy/" + order))
                .then().statusCode(200).body("status", equalTo("INFO_RECEIVED"));
        given().header("X-API-Key", API_KEY).get(store.url("/api/v1/shipments/mrspeedy/" + forged))
                .then().statusCode(404).body("code", equalTo("shipment_not_found"));

        // The forged callback was answered before the valid one was stored: had it been published, it would be there.
        List<String> rawKeys = rawKeys();
        assertThat(rawKeys).contains("mrspeedy:" + ACCOUNT + ":" + order)
                .doesNotContain("mrspeedy:" + ACCOUNT + ":" + forged);
    }

    static byte[] callback(long orderId) throws Exception {
        try (InputStream in = WalkingSkeletonIT.class.getResourceAsStream("/fixtures/mrspeedy-callback-example.json")) {
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return template.replace("${ORDER_ID}", String.valueOf(orderId)).getBytes(StandardCharsets.UTF_8);
        }
    }

    static String hmacHex(byte[] body, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    static List<String> rawKeys() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafka().bootstrapServers());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor("trackline.raw.v1").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
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
