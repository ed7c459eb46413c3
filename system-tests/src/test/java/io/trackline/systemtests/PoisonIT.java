package io.trackline.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.response.Response;
import io.trackline.events.Carrier;
import io.trackline.events.ContentDigest;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import io.trackline.testsupport.MetricsEndpoint;
import io.trackline.testsupport.PrometheusText;
import io.trackline.testsupport.TestInfra;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue "poison records", end to end on the packaged services: a correctly signed callback that downstream cannot
 * hold (a time PostgreSQL cannot store, text it cannot store, thousands of facts, a body in another encoding) is
 * refused at the edge, parked on a dead-letter topic or stored cleaned, and a valid callback of another shipment sent
 * after it is queryable within seconds. A stack restarted with poison already waiting on its topics catches up by
 * itself.
 */
class PoisonIT {

    static final Duration SOON = Duration.ofSeconds(30);
    static final String RAW_DLQ = "trackline.raw.dlq.v1";
    static final String EVENTS_DLQ = "trackline.events.dlq.v1";

    /** What becomes of a poison: refused with a 4xx, parked by the normalizer with a code, or stored cleaned. */
    enum Outcome {
        REFUSED,
        PARKED,
        CLEANED
    }

    record Poison(String name, Outcome outcome, String code, PoisonBody body) {

        @Override
        public String toString() {
            return name;
        }
    }

    interface PoisonBody {
        byte[] of(long orderId);
    }

    @BeforeAll
    static void startPipeline() throws Exception {
        Pipeline.start();
    }

    static Stream<Poison> poisons() {
        return Stream.of(
                new Poison(
                        "event time in year +294277",
                        Outcome.PARKED,
                        "event_time_out_of_range",
                        id -> callback(id, "+294277-01-01T00:00:00Z", "available", "50032")),
                new Poison(
                        "event time in year 0000",
                        Outcome.PARKED,
                        "event_time_out_of_range",
                        id -> callback(id, "0000-01-01T00:00:00Z", "available", "50032")),
                new Poison(
                        "event time in 1970",
                        Outcome.PARKED,
                        "event_time_out_of_range",
                        id -> callback(id, "1970-01-01T00:00:00+07:00", "available", "50032")),
                new Poison(
                        "event time with an impossible offset",
                        Outcome.PARKED,
                        "event_time_out_of_range",
                        id -> callback(id, "2019-02-16T17:30:13+25:00", "available", "50032")),
                new Poison(
                        "courier visit in year 9999999",
                        Outcome.PARKED,
                        "event_time_out_of_range",
                        id -> callbackWithVisit(id, "+9999999-01-01T00:00:00Z", "plain address")),
                new Poison(
                        "NUL in the order name (an identifier)",
                        Outcome.PARKED,
                        "invalid_text",
                        id -> callback(id, "2019-02-16T17:30:13+07:00", "available", "50\\u00000")),
                new Poison(
                        "unpaired surrogate in the status (the raw code)",
                        Outcome.PARKED,
                        "invalid_text",
                        id -> callback(id, "2019-02-16T17:30:13+07:00", "avail\\ud800able", "50032")),
                new Poison(
                        "NUL in an address (free text)",
                        Outcome.CLEANED,
                        null,
                        id -> callbackWithVisit(id, "2019-02-16T18:10:00+07:00", "33/5 \\u0000 Sukhumvit")),
                new Poison(
                        "unpaired low surrogate in an address (free text)",
                        Outcome.CLEANED,
                        null,
                        id -> callbackWithVisit(id, "2019-02-16T18:10:00+07:00", "33/5 \\udc00 Sukhumvit")),
                new Poison("2,000 visited points", Outcome.PARKED, "too_many_facts", PoisonIT::amplification),
                new Poison(
                        "UTF-16LE body without BOM",
                        Outcome.REFUSED,
                        "invalid_json",
                        id -> reencode(
                                callback(id, "2019-02-16T17:30:13+07:00", "available", "50032"),
                                StandardCharsets.UTF_16LE)),
                new Poison(
                        "UTF-16BE body without BOM",
                        Outcome.REFUSED,
                        "invalid_json",
                        id -> reencode(
                                callback(id, "2019-02-16T17:30:13+07:00", "available", "50032"),
                                StandardCharsets.UTF_16BE)),
                new Poison(
                        "UTF-32LE body without BOM",
                        Outcome.REFUSED,
                        "invalid_json",
                        id -> reencode(
                                callback(id, "2019-02-16T17:30:13+07:00", "available", "50032"),
                                Charset.forName("UTF-32LE"))),
                new Poison(
                        "UTF-32BE body without BOM",
                        Outcome.REFUSED,
                        "invalid_json",
                        id -> reencode(
                                callback(id, "2019-02-16T17:30:13+07:00", "available", "50032"),
                                Charset.forName("UTF-32BE"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisons")
    void aPoisonedCallbackStopsNothingBehindIt(Poison poison) {
        long poisoned = orderId();
        long valid = orderId();
        double parkedBefore = deadLettered(poison.code());

        Response answer = post(poison.body().of(poisoned));
        switch (poison.outcome()) {
            case REFUSED -> {
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(400);
                assertThat(answer.jsonPath().getString("code")).isEqualTo(poison.code());
            }
            case PARKED, CLEANED ->
                assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        }
        assertThat(post(Callbacks.example(valid)).statusCode()).isEqualTo(200);

        Response timeline = awaitTimeline(valid);
        assertThat(timeline.jsonPath().getString("shipment.status")).isEqualTo("INFO_RECEIVED");

        switch (poison.outcome()) {
            case REFUSED -> assertThat(WalkingSkeletonIT.rawKeys()).doesNotContain(key(poisoned));
            case PARKED -> {
                ConsumerRecord<String, byte[]> parked = awaitRecord(RAW_DLQ, key(poisoned));
                assertThat(header(parked, "dead-letter-code")).isEqualTo(poison.code());
                assertThat(header(parked, "dead-letter-reason")).isNotBlank();
                assertThat(header(parked, "dead-letter-topic")).isEqualTo("trackline.raw.v1");
                assertThat(header(parked, "dead-letter-offset")).isNotBlank();
                await("dead-letter counter " + poison.code())
                        .atMost(SOON)
                        .until(() -> deadLettered(poison.code()) >= parkedBefore + 1);
                given().header("X-API-Key", Pipeline.API_KEY)
                        .get(Pipeline.store().url("/api/v1/shipments/mrspeedy/" + poisoned))
                        .then()
                        .statusCode(404);
            }
            case CLEANED -> {
                Response cleaned = awaitTimeline(poisoned);
                String json = cleaned.asString();
                assertThat(json)
                        .doesNotContain("\\u0000")
                        .doesNotContain("\\ud800")
                        .doesNotContain("\\udc00");
                assertThat(cleaned.jsonPath().getList("events")).hasSizeGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void aRestartedStackWithPoisonWaitingOnItsTopicsCatchesUpByItself() throws Exception {
        long poisonedTime = orderId();
        long poisonedEvent = orderId();
        long poisonedHeader = orderId();
        long old = orderId();
        long valid = orderId();
        Pipeline.restartConsumers(() -> {
            // While normalizer and status-store are down: a poisoned callback (accepted, as the receiver cannot
            // know), a raw record that is no envelope, one whose CloudEvents headers are not Trackline's, a raw
            // record written before binary mode (a version 2 envelope, still read), canonical events the store
            // cannot hold, then a valid one.
            assertThat(post(callback(poisonedTime, "+294277-01-01T00:00:00Z", "available", "50032"))
                            .statusCode())
                    .isEqualTo(200);
            try (KafkaProducer<String, byte[]> producer = producer()) {
                producer.send(new ProducerRecord<>(
                                "trackline.raw.v1",
                                key(poisonedEvent),
                                "not an envelope".getBytes(StandardCharsets.UTF_8)))
                        .get();
                ProducerRecord<String, byte[]> badHeader = RawRecords.record(
                        "trackline.raw.v1",
                        RawEnvelope.of(
                                Carrier.MRSPEEDY,
                                Pipeline.ACCOUNT,
                                Source.WEBHOOK,
                                Long.toString(poisonedHeader),
                                OffsetDateTime.now(),
                                "req-" + poisonedHeader,
                                "application/json",
                                Map.of(),
                                Callbacks.example(poisonedHeader)));
                // a ce_time that is no time: parked by the normalizer, not a failure of its channel
                badHeader
                        .headers()
                        .remove(RawRecords.TIME)
                        .add(RawRecords.TIME, "soon".getBytes(StandardCharsets.UTF_8));
                producer.send(badHeader).get();
                producer.send(new ProducerRecord<>("trackline.raw.v1", key(old), versionTwoEnvelope(old)))
                        .get();
                producer.send(new ProducerRecord<>(
                                "trackline.events.v1",
                                key(poisonedEvent),
                                canonicalEvent(poisonedEvent, "+294277-01-01T00:00:00Z", "text")))
                        .get();
                producer.send(new ProducerRecord<>(
                                "trackline.events.v1",
                                key(poisonedEvent),
                                canonicalEvent(poisonedEvent, "2019-02-16T17:30:13+07:00", "nul \\u0000 here")))
                        .get();
                producer.send(new ProducerRecord<>(
                                "trackline.events.v1", key(poisonedEvent), new byte[] {(byte) 0xff, 0x00, '{'}))
                        .get();
            }
            assertThat(post(Callbacks.example(valid)).statusCode()).isEqualTo(200);
        });

        Response timeline = awaitTimeline(valid);
        assertThat(timeline.jsonPath().getString("shipment.status")).isEqualTo("INFO_RECEIVED");
        assertThat(header(awaitRecord(RAW_DLQ, key(poisonedTime)), "dead-letter-code"))
                .isEqualTo("event_time_out_of_range");
        assertThat(header(awaitRecord(RAW_DLQ, key(poisonedHeader)), "dead-letter-code"))
                .isEqualTo("invalid_envelope");
        assertThat(awaitTimeline(old).jsonPath().getString("shipment.status")).isEqualTo("INFO_RECEIVED");
        await("three events parked by status-store")
                .atMost(SOON)
                .until(() -> records(EVENTS_DLQ).stream()
                                .filter(r -> key(poisonedEvent).equals(r.key()))
                                .count()
                        >= 3);
        // Nothing waits: both consumers are ready (not stuck).
        given().get(Pipeline.store().url("/q/health/ready")).then().statusCode(200);
        given().get(Pipeline.normalizer().url("/q/health/ready")).then().statusCode(200);
    }

    // --- bodies ----------------------------------------------------------------------------------------------

    /** The callback example as a raw record value of envelope version 2: the raw topic's form before binary mode. */
    static byte[] versionTwoEnvelope(long orderId) {
        byte[] body = Callbacks.example(orderId);
        byte[] head = ("{\"schemaVersion\":2,\"carrier\":\"mrspeedy\",\"account\":\"" + Pipeline.ACCOUNT
                        + "\",\"source\":\"webhook\",\"shipmentRef\":\"" + orderId + "\",\"receivedAt\":\""
                        + OffsetDateTime.now() + "\",\"requestId\":\"old-" + orderId + "\","
                        + "\"contentType\":\"application/json\",\"headers\":{},\"contentDigest\":\""
                        + ContentDigest.of(body)
                        + "\",\"payload\":")
                .getBytes(StandardCharsets.UTF_8);
        byte[] value = Arrays.copyOf(head, head.length + body.length + 1);
        System.arraycopy(body, 0, value, head.length, body.length);
        value[value.length - 1] = '}';
        return value;
    }

    /** A callback in the document's shape; string arguments go in as JSON string content (escapes allowed). */
    static byte[] callback(long orderId, String eventTime, String status, String orderName) {
        return callback(orderId, eventTime, status, orderName, """
                [{"point_id":1,"address":"33/5 Sukhumvit","courier_visit_datetime":null},
                 {"point_id":2,"address":"3079/25 Sukhumvit","courier_visit_datetime":null}]""");
    }

    /** An active order whose first point (the pickup) was visited at {@code visitTime}. */
    static byte[] callbackWithVisit(long orderId, String visitTime, String address) {
        return callback(orderId, "2019-02-16T18:10:00+07:00", "active", "50032", """
                [{"point_id":1,"address":"%s","courier_visit_datetime":"%s"},
                 {"point_id":2,"address":"3079/25 Sukhumvit","courier_visit_datetime":null}]""".formatted(address, visitTime));
    }

    private static byte[] callback(long orderId, String eventTime, String status, String orderName, String points) {
        return """
                {"event_datetime":"%s","order":{"order_id":%d,"order_name":"%s","status":"%s","points":%s}}""".formatted(eventTime, orderId, orderName, status, points).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] amplification(long orderId) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            points.append(i == 0 ? "" : ",")
                    .append("{\"point_id\":")
                    .append(i)
                    .append(",\"address\":\"stop ")
                    .append(i)
                    .append("\",\"courier_visit_datetime\":\"2019-02-16T18:00:13+07:00\"}");
        }
        return ("{\"event_datetime\":\"2019-02-16T17:30:13+07:00\",\"order\":{\"order_id\":" + orderId
                        + ",\"status\":\"active\",\"points\":[" + points + "]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] reencode(byte[] utf8, Charset charset) {
        return new String(utf8, StandardCharsets.UTF_8).getBytes(charset);
    }

    static byte[] canonicalEvent(long orderId, String occurredAt, String rawText) {
        String shipment = key(orderId);
        return ("{\"schemaVersion\":1,\"eventId\":\"poison-" + orderId + "-"
                        + ThreadLocalRandom.current().nextInt()
                        + "\",\"shipmentId\":\"" + shipment + "\",\"carrier\":\"mrspeedy\",\"account\":\""
                        + Pipeline.ACCOUNT
                        + "\",\"reference\":\"" + orderId + "\",\"status\":\"IN_TRANSIT\",\"occurredAt\":\""
                        + occurredAt
                        + "\",\"rawCode\":\"active\",\"rawText\":\"" + rawText + "\",\"source\":\"webhook\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    // --- plumbing --------------------------------------------------------------------------------------------

    static long orderId() {
        return ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L);
    }

    static String key(long orderId) {
        return "mrspeedy:" + Pipeline.ACCOUNT + ":" + orderId;
    }

    static Response post(byte[] body) {
        return given().contentType("application/json")
                .header("X-DV-Signature", Callbacks.signature(body, Pipeline.SECRET))
                .body(body)
                .when()
                .post(Pipeline.ingest().url("/webhooks/mrspeedy/" + Pipeline.ACCOUNT));
    }

    static Response awaitTimeline(long orderId) {
        return await("timeline of order " + orderId)
                .atMost(SOON)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> given().header("X-API-Key", Pipeline.API_KEY)
                                .get(Pipeline.store().url("/api/v1/shipments/mrspeedy/" + orderId + "/timeline")),
                        r -> r.statusCode() == 200);
    }

    static double deadLettered(String code) {
        if (code == null) {
            return 0;
        }
        String metrics = MetricsEndpoint.scrape(Pipeline.normalizer().url(MetricsEndpoint.PATH));
        return PrometheusText.valueOrZero(
                metrics, "trackline_normalizer_raw_dead_lettered_total", Map.of("reason", code));
    }

    static ConsumerRecord<String, byte[]> awaitRecord(String topic, String key) {
        return await("a record of " + key + " on " + topic)
                .atMost(SOON)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> records(topic).stream()
                                .filter(r -> key.equals(r.key()))
                                .findFirst()
                                .orElse(null),
                        r -> r != null);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static List<ConsumerRecord<String, byte[]>> records(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafka().bootstrapServers());
        // the normalizer writes its dead letters in transactions: committed ones only
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfra.kafka().bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
    }
}
