package io.trackline.normalizer.messaging;

import static io.restassured.RestAssured.given;
import static io.trackline.normalizer.messaging.NormalizerIT.WAIT;
import static io.trackline.normalizer.messaging.NormalizerPoisonIT.header;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static io.trackline.testsupport.MetricsEndpoint.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.trackline.events.Carrier;
import io.trackline.events.Topics;
import io.trackline.kafka.DeadLetters;
import io.trackline.normalizer.DeadLetterCode;
import io.trackline.normalizer.messaging.Poisons.Raw;
import io.trackline.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * An instance started with poison already waiting on the raw topic, with an application id of its own (a consumer
 * group and a store of its own, empty), writing its
 * events to a topic of its own ({@value #EVENTS_PREFIX}…, so the other tests' "no id twice" checks do not meet its
 * second copies): it catches up by itself. An event larger than an event may be (this profile's
 * {@code max-event-size}) parks its raw record as {@code publish_failed}; a dead letter larger than the producer's
 * {@code max.request.size} is parked without its value.
 * An upstream transaction left open on the raw topic (exactly-once reads {@code read_committed}) holds the
 * application back with records waiting: it is stuck, readiness DOWN saying which partition, until the transaction
 * ends.
 */
@QuarkusTest
@TestProfile(NormalizerCatchUpIT.Profile.class)
class NormalizerCatchUpIT {

    static final String EVENTS_PREFIX = "catchup.events.";
    // Kept in system properties: the profile, the resource and the test class may have different class loaders.
    static final String RUN = (String) System.getProperties()
            .computeIfAbsent(
                    "trackline.test.catchup.run",
                    k -> UUID.randomUUID().toString().substring(0, 8));
    static final String EVENTS = EVENTS_PREFIX + RUN;
    static final String GROUP = "trackline-normalizer-catchup-" + RUN;
    static final String SEEDED = "trackline.test.catchup.seeded";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Under exactly-once the application reads the raw topic read_committed: an upstream transaction left
            // open holds it back, as a hung producer would.
            return Map.of(
                    "quarkus.kafka-streams.application-id", GROUP,
                    "trackline.normalizer.events-topic", EVENTS,
                    "trackline.normalizer.consumer.stuck-after", "PT3S",
                    "trackline.normalizer.consumer.progress-interval", "PT0.5S",
                    "trackline.normalizer.consumer.progress-timeout", "PT1S",
                    "trackline.normalizer.max-event-size", "8192",
                    // A dead letter larger than this cannot be stored with its value (see the amplified record).
                    "kafka-streams.producer.max.request.size", "65536");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PoisonFirst.class));
        }
    }

    /**
     * Before the application starts: the events topic of this run, and on the raw topic three poisons and, behind
     * them on the same partition, a valid callback. Their keys are kept in a system property.
     */
    public static class PoisonFirst implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            String bootstrap = TestInfra.kafka().bootstrapServers();
            try (Admin admin = admin()) {
                admin.createTopics(List.of(new NewTopic(EVENTS, TestInfra.PARTITIONS, (short) 1)))
                        .all()
                        .get();
                String time = Poisons.orderIdOnPartition(0);
                String envelope = Poisons.orderIdOnPartition(0);
                String amplified = Poisons.orderIdOnPartition(0);
                String valid = Poisons.orderIdOnPartition(0);
                KafkaTestClients.sendRawBytes(
                        "mrspeedy:demo:" + envelope, "not an envelope".getBytes(StandardCharsets.UTF_8));
                KafkaTestClients.sendRaw(
                        Poisons.webhook(time, Poisons.callback(time, "+294277-01-01T00:00:00Z", "available", "50032")));
                Raw many = Poisons.webhook(amplified, Poisons.amplification(amplified, 2000));
                KafkaTestClients.sendRaw(many);
                Raw behind = Poisons.validCallback(valid);
                KafkaTestClients.sendRaw(behind);
                System.setProperty(SEEDED, String.join(",", time, envelope, amplified, valid));
            } catch (Exception e) {
                throw new IllegalStateException("could not seed the raw topic", e);
            } finally {
                KafkaTestClients.closeProducer();
            }
            return Map.of("kafka.bootstrap.servers", bootstrap);
        }

        @Override
        public void stop() {}
    }

    static Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        return Admin.create(p);
    }

    static List<ConsumerRecord<String, String>> events(String key) {
        return KafkaTestClients.readAll(EVENTS).stream()
                .filter(r -> key.equals(r.key()))
                .toList();
    }

    static JsonPath consumerCheck(Response readiness) {
        return new JsonPath(readiness.asString())
                .setRootPath("checks.find { it.name == '" + ConsumerProgressCheck.NAME + "' }");
    }

    @AfterAll
    static void close() {
        KafkaTestClients.closeProducer();
    }

    @Test
    void aRestartedInstanceWithPoisonWaitingCatchesUpByItself() {
        String[] seeded = System.getProperty(SEEDED).split(",");
        String time = "mrspeedy:demo:" + seeded[0];
        String envelope = "mrspeedy:demo:" + seeded[1];
        String amplified = "mrspeedy:demo:" + seeded[2];
        String valid = "mrspeedy:demo:" + seeded[3];

        await("the valid callback behind the poisons")
                .atMost(WAIT)
                .untilAsserted(() -> assertThat(events(valid)).hasSize(1));
        Map<String, String> codes =
                Map.of(time, "event_time_out_of_range", envelope, "invalid_envelope", amplified, "too_many_facts");
        await().atMost(WAIT).untilAsserted(() -> {
            List<ConsumerRecord<String, byte[]>> parked = KafkaTestClients.readAllBytes(Topics.RAW_DLQ);
            codes.forEach((key, code) -> assertThat(parked).as(key).anySatisfy(r -> {
                assertThat(r.key()).isEqualTo(key);
                assertThat(header(r, "dead-letter-code")).isEqualTo(code);
            }));
            // The amplified record (150 kB) with its headers does not fit this profile's producer: it is
            // parked without its value, which stays on the raw topic where the headers say, and the partition goes on.
            assertThat(parked).filteredOn(r -> amplified.equals(r.key())).anySatisfy(r -> {
                assertThat(r.value()).isEmpty();
                // the size of the value left out, more than this profile's producer takes
                assertThat(Integer.parseInt(header(r, DeadLetters.VALUE_OMITTED)))
                        .isGreaterThan(65536);
                assertThat(header(r, "dead-letter-offset")).isNotBlank();
            });
            assertThat(parked)
                    .filteredOn(r -> time.equals(r.key()))
                    .anySatisfy(r -> assertThat(r.value()).isNotEmpty());
        });
        // Nothing waits: no lag on any partition, not stuck, ready.
        await().atMost(WAIT).untilAsserted(() -> {
            for (int partition = 0; partition < TestInfra.PARTITIONS; partition++) {
                assertThat(metric(
                                "trackline_normalizer_consumer_lag_records",
                                Map.of("partition", String.valueOf(partition), "topic", Topics.RAW)))
                        .isZero();
            }
            // The gauges exist (a missing series would read as 0 above).
            assertThat(series(
                            "trackline_normalizer_consumer_lag_records", Map.of("partition", "2", "topic", Topics.RAW)))
                    .isPresent();
            assertThat(series("trackline_normalizer_consumer_stuck", Map.of("topic", Topics.RAW)))
                    .hasValue(0);
            Response ready = given().get("/q/health/ready");
            assertThat(ready.statusCode()).as(ready.asString()).isEqualTo(200);
            assertThat(consumerCheck(ready).getString("status")).isEqualTo("UP");
            assertThat(consumerCheck(ready).getLong("data.lag")).isZero();
        });
    }

    @Test
    void anEventKafkaRefusesForGoodParksItsRawRecordAndTheNextOneIsPublished() throws Exception {
        String number = NormalizerIT.unique("HS");
        String thai = "ก".repeat(1000); // 3,000 bytes in UTF-8: three of them make an event larger than 8 KiB
        Raw big = Poisons.poll(Carrier.ALL24, number, """
                {"%s":{"hs_order_ref":"%s","history":[{"event_time":"2015-08-18 12:00:59","event_name":"%s",
                "event_code":"050000","location":{"location_name":"%s","service_area":"%s"}}]},"response_code":200}""".formatted(number, number, thai, thai, thai));
        Map<String, String> parkedAs = Map.of("carrier", "all24", "reason", DeadLetterCode.PUBLISH_FAILED.code());
        double before = metric("trackline_normalizer_raw_dead_lettered_total", parkedAs);
        RecordMetadata at = KafkaTestClients.sendRaw(big);
        Raw behind = Poisons.validCallback(Poisons.orderIdOnPartition(at.partition()));
        KafkaTestClients.sendRaw(behind);

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(events(behind.key())).hasSize(1));
        ConsumerRecord<String, byte[]> parked = NormalizerPoisonIT.awaitDeadLetter(at);
        assertThat(parked.value()).isEqualTo(big.value());
        assertThat(header(parked, "dead-letter-code")).isEqualTo(DeadLetterCode.PUBLISH_FAILED.code());
        assertThat(header(parked, "dead-letter-exception-class-name"))
                .isEqualTo("org.apache.kafka.common.errors.RecordTooLargeException");
        assertThat(events(big.key())).isEmpty();
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(metric("trackline_normalizer_raw_dead_lettered_total", parkedAs))
                        .isEqualTo(before + 1));
    }

    @Test
    void aConsumerWaitingBehindAnOpenTransactionIsStuckAndNotReadyUntilItMovesAndNothingIsLost() throws Exception {
        int partition = 1;
        Raw inTransaction = Poisons.validCallback(Poisons.orderIdOnPartition(partition));
        Raw waiting = Poisons.validCallback(Poisons.orderIdOnPartition(partition));
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        p.put("transactional.id", "catchup-" + RUN);
        try (KafkaProducer<String, byte[]> upstream =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            upstream.initTransactions();
            upstream.beginTransaction();
            upstream.send(new ProducerRecord<>(
                            Topics.RAW, null, inTransaction.key(), inTransaction.value(), inTransaction.headers()))
                    .get();
            long waitingAt = KafkaTestClients.sendRaw(waiting).offset();

            await("readiness DOWN for the stuck partition")
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> {
                        Response ready = given().get("/q/health/ready");
                        assertThat(ready.statusCode()).as(ready.asString()).isEqualTo(503);
                        JsonPath check = consumerCheck(ready);
                        assertThat(check.getString("status")).isEqualTo("DOWN");
                        assertThat(check.getString("data.stuckPartitions")).isEqualTo(String.valueOf(partition));
                        assertThat(check.getLong("data.stuckLag")).isGreaterThanOrEqualTo(2);
                        assertThat(metric("trackline_normalizer_consumer_stuck", Map.of("topic", Topics.RAW)))
                                .isEqualTo(1);
                        assertThat(metric(
                                        "trackline_normalizer_consumer_lag_records",
                                        Map.of("partition", String.valueOf(partition))))
                                .isGreaterThanOrEqualTo(2);
                    });
            assertThat(events(waiting.key())).isEmpty();
            upstream.commitTransaction();
            // The coordinator writes the commit marker after commitTransaction returns: wait until it is there.
            TopicPartition raw = new TopicPartition(Topics.RAW, partition);
            try (Admin admin = admin()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> admin.listOffsets(Map.of(raw, OffsetSpec.latest()))
                                        .partitionResult(raw)
                                        .get()
                                        .offset()
                                >= waitingAt + 2);
            }
        }
        // The commit marker takes an offset no record has: the application's committed offset (last record + 1)
        // stays one short of the end, and that is no lag (kafka-support's GroupOffsets).
        await("the records stored, and ready again").atMost(WAIT).untilAsserted(() -> {
            assertThat(events(inTransaction.key())).hasSize(1);
            assertThat(events(waiting.key())).hasSize(1);
            assertThat(metric(
                            "trackline_normalizer_consumer_lag_records",
                            Map.of("partition", String.valueOf(partition))))
                    .isZero();
            Response ready = given().get("/q/health/ready");
            assertThat(ready.statusCode()).as(ready.asString()).isEqualTo(200);
            assertThat(metric("trackline_normalizer_consumer_stuck", Map.of("topic", Topics.RAW)))
                    .isZero();
        });
    }
}
