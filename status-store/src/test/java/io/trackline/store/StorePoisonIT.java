package io.trackline.store;

import static io.restassured.RestAssured.given;
import static io.trackline.events.CanonicalStatus.IN_TRANSIT;
import static io.trackline.store.Events.event;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import io.trackline.events.Topics;
import io.trackline.kafka.DeadLetters;
import io.trackline.store.service.UnstorableEventException;
import io.trackline.testsupport.PostgresTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 in status-store: a record that can never be stored (a time PostgreSQL cannot hold, text it cannot hold, no
 * JSON, no canonical event, far too large) is parked on {@code trackline.events.dlq.v1} with its exact bytes, key
 * and headers and the reason, is counted, and the valid event after it on the same partition is stored within
 * seconds. On the test JVM's real broker and PostgreSQL.
 */
@QuarkusTest
@WithTestResource(StoreKafkaResource.class)
@WithTestResource(PostgresTestResource.class)
class StorePoisonIT {

    static final Duration SOON = Duration.ofSeconds(20);
    private static KafkaProducer<byte[], byte[]> producer;

    /** A poison record: how its value is made from its shipment's reference, and the code it must be parked with. */
    record Poison(String name, String code, String reasonContains, PoisonValue value) {

        @Override
        public String toString() {
            return name;
        }
    }

    interface PoisonValue {
        byte[] of(String reference);
    }

    static Stream<Poison> poisons() {
        return Stream.of(
                new Poison(
                        "occurredAt in year +294277",
                        "event_time_out_of_range",
                        "occurredAt in year 294277",
                        ref -> canonical(ref, "+294277-01-01T00:00:00Z", "text", "Hub", ref)),
                new Poison(
                        "occurredAt in 4714 BC (ISO -4713)",
                        "event_time_out_of_range",
                        "year -4713",
                        ref -> canonical(ref, "-4713-01-01T00:00:00Z", "text", "Hub", ref)),
                new Poison(
                        "occurredAt in year 0000",
                        "event_time_out_of_range",
                        "year 0",
                        ref -> canonical(ref, "0000-01-01T00:00:00Z", "text", "Hub", ref)),
                new Poison(
                        "NUL in rawText",
                        "invalid_text",
                        "rawText contains U+0000",
                        ref -> canonical(ref, "2026-11-20T08:00:00+07:00", "nul \\u0000 here", "Hub", ref)),
                new Poison(
                        "NUL in the location",
                        "invalid_text",
                        "location.address contains U+0000",
                        ref -> canonical(ref, "2026-11-20T08:00:00+07:00", "text", "33/5 \\u0000 Sukhumvit", ref)),
                new Poison(
                        "NUL in the reference",
                        "invalid_text",
                        "reference contains U+0000",
                        ref -> canonical(ref, "2026-11-20T08:00:00+07:00", "text", "Hub", ref + "\\u0000")),
                new Poison(
                        "unpaired surrogate in rawText",
                        "invalid_text",
                        "rawText contains an unpaired surrogate",
                        ref -> canonical(ref, "2026-11-20T08:00:00+07:00", "avail\\ud800able", "Hub", ref)),
                new Poison("not JSON", "unreadable", "not JSON", ref -> "{not json".getBytes(StandardCharsets.UTF_8)),
                new Poison("bytes that are not UTF-8", "unreadable", "not JSON", ref ->
                        new byte[] {(byte) 0xff, 0x00, '{', (byte) 0xc3}),
                new Poison(
                        "JSON that is no canonical event",
                        "unreadable",
                        "not a canonical event: no eventId",
                        ref -> "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)),
                new Poison(
                        "a canonical event with an unknown status",
                        "unreadable",
                        "field 'status'",
                        ref -> new String(
                                        canonical(ref, "2026-11-20T08:00:00+07:00", "text", "Hub", ref),
                                        StandardCharsets.UTF_8)
                                .replace("IN_TRANSIT", "TELEPORTED")
                                .getBytes(StandardCharsets.UTF_8)),
                new Poison(
                        "a huge value (900 KB)",
                        "too_large",
                        "more than the 65536 bytes",
                        ref -> canonical(ref, "2026-11-20T08:00:00+07:00", hugeText(900_000), "Hub", ref)));
    }

    static String reference(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String shipment(String reference) {
        return "all24:acme:" + reference;
    }

    /** A canonical event as JSON text, the string fields inserted as JSON string content (escapes allowed). */
    static byte[] canonical(String reference, String occurredAt, String rawText, String address, String refField) {
        return ("{\"schemaVersion\":1,\"eventId\":\"poison-" + UUID.randomUUID() + "\",\"shipmentId\":\""
                        + shipment(reference) + "\",\"carrier\":\"all24\",\"account\":\"acme\",\"reference\":\""
                        + refField
                        + "\",\"references\":{\"trackingNumber\":\"" + reference + "\"},\"status\":\"IN_TRANSIT\","
                        + "\"occurredAt\":\"" + occurredAt + "\",\"location\":{\"address\":\"" + address + "\"},"
                        + "\"rawCode\":\"300000\",\"rawText\":\"" + rawText + "\",\"source\":\"poll\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static String hugeText(int length) {
        StringBuilder text = new StringBuilder(length);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (text.length() < length) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    static synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.LINGER_MS_CONFIG,
                            20,
                            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                            1_000_000),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
        }
        return producer;
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }

    /** The partition the default partitioner gives a key: the normalizer's choice for that shipment. */
    static int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
                % producer().partitionsFor(Topics.EVENTS).size();
    }

    static RecordMetadata send(int partition, String key, byte[] value, RecordHeaders headers) throws Exception {
        return producer()
                .send(new ProducerRecord<>(
                        Topics.EVENTS, partition, key.getBytes(StandardCharsets.UTF_8), value, headers))
                .get();
    }

    static byte[] valid(CanonicalEvent e) {
        return Events.json(e).getBytes(StandardCharsets.UTF_8);
    }

    static RecordHeaders ceHeaders(String id, String subject) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", CanonicalEvent.CLOUD_EVENT_TYPE.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_subject", subject.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** trackline_store_events_dead_lettered_total{reason=code} on /q/metrics (0 when absent). */
    static double deadLettered(String code) {
        return metric("trackline_store_events_dead_lettered_total", Map.of("reason", code));
    }

    /** Every record of the dead-letter topic with this key, read from the beginning to the end offsets. */
    static List<ConsumerRecord<byte[], byte[]>> deadLetters(String key) {
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                        4_194_304),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS_DLQ).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (Arrays.equals(wanted, r.key())) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }

    static ConsumerRecord<byte[], byte[]> awaitDeadLetter(String key) {
        return await("a dead letter of " + key)
                .atMost(SOON)
                .pollInterval(Duration.ofMillis(300))
                .until(() -> deadLetters(key).stream().findFirst(), Optional::isPresent)
                .get();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetters.header(record.headers(), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poisons")
    void aPoisonRecordIsParkedAndTheNextEventOnItsPartitionIsStored(Poison poison) throws Exception {
        String poisonRef = reference("POISON");
        String poisonKey = shipment(poisonRef);
        int partition = partitionOf(poisonKey);
        double before = deadLettered(poison.code());
        byte[] value = poison.value().of(poisonRef);

        RecordMetadata parkedAt = send(partition, poisonKey, value, ceHeaders("poison-id", poisonKey));
        String validRef = reference("AFTER");
        CanonicalEvent next = event(Carrier.ALL24, "acme", validRef, 1, IN_TRANSIT);
        send(partition, next.shipmentId(), valid(next), ceHeaders(next.eventId(), next.shipmentId()));

        // the valid event behind the poison, on the same partition, is stored within seconds
        JsonPath timeline = await("timeline of " + validRef)
                .atMost(SOON)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> StatusStoreIT.api().get("/api/v1/shipments/all24/" + validRef + "/timeline"),
                        r -> r.statusCode() == 200)
                .jsonPath();
        assertThat(timeline.getString("shipment.status")).isEqualTo("IN_TRANSIT");

        // the poison is on the dead-letter topic: bytes, key and headers as produced, and why
        ConsumerRecord<byte[], byte[]> parked = awaitDeadLetter(poisonKey);
        assertThat(parked.value()).isEqualTo(value);
        assertThat(new String(parked.key(), StandardCharsets.UTF_8)).isEqualTo(poisonKey);
        assertThat(header(parked, "ce_id")).isEqualTo("poison-id");
        assertThat(header(parked, "ce_subject")).isEqualTo(poisonKey);
        assertThat(header(parked, DeadLetters.CODE)).isEqualTo(poison.code());
        assertThat(header(parked, DeadLetters.REASON)).contains(poison.reasonContains());
        assertThat(header(parked, DeadLetters.TOPIC)).isEqualTo(Topics.EVENTS);
        assertThat(header(parked, DeadLetters.PARTITION)).isEqualTo(Integer.toString(partition));
        assertThat(header(parked, DeadLetters.OFFSET)).isEqualTo(Long.toString(parkedAt.offset()));
        assertThat(header(parked, DeadLetters.EXCEPTION_CLASS)).isEqualTo(UnstorableEventException.class.getName());
        assertThat(header(parked, DeadLetters.REASON))
                .doesNotContain("Sukhumvit")
                .doesNotContain("here");
        if (poison.reasonContains().equals("not JSON")) {
            // SmallRye's meanings: the cause's message in dead-letter-cause, its class in a header of its own
            assertThat(header(parked, DeadLetters.CAUSE_CLASS)).startsWith("com.fasterxml.jackson.");
            assertThat(header(parked, DeadLetters.CAUSE)).isNotBlank().doesNotStartWith("com.fasterxml.jackson.");
        }

        // counted, and nothing of it stored
        await("dead-letter counter " + poison.code())
                .atMost(SOON)
                .untilAsserted(() -> assertThat(deadLettered(poison.code())).isGreaterThanOrEqualTo(before + 1));
        assertThat(StatusStoreIT.rows("SELECT count(*) FROM shipment WHERE id = ?", poisonKey))
                .isZero();
    }

    @Test
    void aBatchWithPoisonAmongTwentyGoodEventsStoresAllTwenty() throws Exception {
        String account = "poisonbatch-" + UUID.randomUUID().toString().substring(0, 8);
        String poisonRef = reference("MIDDLE");
        String poisonKey = shipment(poisonRef);
        int partition = partitionOf(poisonKey);
        List<CanonicalEvent> good = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            good.add(event(Carrier.ALL24, account, "G" + i, i, IN_TRANSIT));
        }
        // one burst on one partition: the consumer takes it as one batch (or a few)
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i == 10) {
                sent.add(producer()
                        .send(new ProducerRecord<>(
                                Topics.EVENTS,
                                partition,
                                poisonKey.getBytes(StandardCharsets.UTF_8),
                                canonical(poisonRef, "+294277-01-01T00:00:00Z", "text", "Hub", poisonRef))));
                sent.add(producer()
                        .send(new ProducerRecord<>(
                                Topics.EVENTS,
                                partition,
                                poisonKey.getBytes(StandardCharsets.UTF_8),
                                canonical(poisonRef, "2026-11-20T08:00:00+07:00", "nul \\u0000", "Hub", poisonRef))));
            }
            CanonicalEvent e = good.get(i);
            sent.add(producer()
                    .send(new ProducerRecord<>(
                            Topics.EVENTS, partition, e.shipmentId().getBytes(StandardCharsets.UTF_8), valid(e))));
        }
        producer().flush();
        for (var f : sent) {
            f.get();
        }

        await("20 good events stored")
                .atMost(SOON)
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(StatusStoreIT.rows(
                                "SELECT count(*) FROM timeline_event WHERE shipment_id LIKE ?",
                                "all24:" + account + ":%"))
                        .isEqualTo(20));
        await("both poison records parked")
                .atMost(SOON)
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> assertThat(deadLetters(poisonKey))
                        .extracting(r -> header(r, DeadLetters.CODE))
                        .containsExactlyInAnyOrder("event_time_out_of_range", "invalid_text"));
    }

    /**
     * A record as large as the events topic takes has no room left for the dead-letter headers: it is parked without
     * its value (and original headers), its size in {@code dead-letter-value-omitted}, instead of being retried forever.
     */
    @Test
    void aRecordThatFillsTheTopicIsParkedWithoutItsValueRatherThanBlocking() throws Exception {
        String poisonRef = reference("FULL");
        String poisonKey = shipment(poisonRef);
        int partition = partitionOf(poisonKey);
        byte[] key = poisonKey.getBytes(StandardCharsets.UTF_8);
        // the broker's default limit of a record batch (message.max.bytes), less a margin smaller than the
        // dead-letter headers will add
        int limit = 1_048_588;
        int overhead = DefaultRecordBatch.RECORD_BATCH_OVERHEAD
                + DefaultRecord.sizeInBytes(0, 0L, key.length, 0, new RecordHeaders().toArray());
        byte[] value = new byte[limit - overhead - 8 - 150]; // 8: the varint of the value's length grows
        ThreadLocalRandom.current().nextBytes(value); // incompressible
        try (KafkaProducer<byte[], byte[]> big = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        2_000_000),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            big.send(new ProducerRecord<>(Topics.EVENTS, partition, key, value)).get();
        }
        String validRef = reference("AFTERFULL");
        CanonicalEvent next = event(Carrier.ALL24, "acme", validRef, 1, IN_TRANSIT);
        send(partition, next.shipmentId(), valid(next), ceHeaders(next.eventId(), next.shipmentId()));

        await("timeline of " + validRef)
                .atMost(SOON)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> StatusStoreIT.api()
                                .get("/api/v1/shipments/all24/" + validRef + "/timeline")
                                .statusCode()
                        == 200);
        ConsumerRecord<byte[], byte[]> parked = awaitDeadLetter(poisonKey);
        assertThat(parked.value()).isNull();
        assertThat(header(parked, DeadLetters.VALUE_OMITTED)).isEqualTo(Integer.toString(value.length));
        assertThat(header(parked, DeadLetters.CODE)).isEqualTo("too_large");
        assertThat(header(parked, DeadLetters.PARTITION)).isEqualTo(Integer.toString(partition));
    }

    @Test
    void everyReasonHasACounterFromTheStart() {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String code : List.of(
                "unreadable",
                "too_large",
                "event_time_out_of_range",
                "invalid_text",
                "rejected_by_database",
                "unprocessable")) {
            assertThat(body).contains("trackline_store_events_dead_lettered_total{reason=\"" + code + "\"}");
        }
        // bound on the progress thread once the broker told the topic's partitions
        await("consumer progress gauges")
                .atMost(SOON)
                .untilAsserted(() -> assertThat(given().get("/q/metrics")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString())
                        .contains(
                                "trackline_store_consumer_lag_records{partition=\"0\",topic=\"trackline.events.v1\"}",
                                "trackline_store_consumer_stuck{topic=\"trackline.events.v1\"}"));
    }
}
