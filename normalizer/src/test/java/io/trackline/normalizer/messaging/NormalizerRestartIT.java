package io.trackline.normalizer.messaging;

import static io.trackline.normalizer.Samples.envelope;
import static io.trackline.normalizer.messaging.NormalizerIT.WAIT;
import static io.trackline.normalizer.messaging.NormalizerIT.codes;
import static io.trackline.normalizer.messaging.NormalizerIT.unique;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.trackline.events.Carrier;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.kafka.GroupOffsets;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.messaging.Poisons.Raw;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.TestInfra;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The normalizer restarted, after {@link NormalizerIT}'s instance has stopped (Quarkus runs profiled test classes
 * after the others), in the same application id, without local state (every test start has a state directory of its
 * own): it resumes from the application id's committed offsets and restores its store from the changelog topic, and
 * everything the raw topic holds, sent again, publishes nothing. Then a second instance joins the application id
 * (a rebalance moves tasks to it, restored there from the changelog) and leaves again: across both rebalances each fact
 * is published once, and no event id twice.
 */
@QuarkusTest
@TestProfile(NormalizerRestartIT.Restarted.class)
@QuarkusTestResource(KafkaTestResource.class)
class NormalizerRestartIT {

    static final String APPLICATION_ID = "trackline-normalizer";

    /** The same application id as the default profile's instance; only a new start. */
    public static class Restarted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("trackline.normalizer.consumer.progress-interval", "PT1S");
        }
    }

    @Inject
    NormalizerTopology topology;

    @Inject
    KafkaStreams streams;

    @AfterAll
    static void close() {
        KafkaTestClients.closeProducer();
    }

    static void assertNoEventIdTwice() {
        List<ConsumerRecord<String, String>> all = KafkaTestClients.readAll(Topics.EVENTS);
        Map<String, Long> byId = all.stream()
                .collect(Collectors.groupingBy(r -> KafkaTestClients.header(r, "ce_id"), Collectors.counting()));
        assertThat(byId.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("event ids published more than once, out of %d events", all.size())
                .isEmpty();
    }

    /** Records of the raw topic the application id has not processed, as kafka-support reads them (markers aside). */
    static long lag() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        Map<String, Object> kafka =
                Map.of("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        try (Admin admin = Admin.create(p);
                KafkaConsumer<byte[], byte[]> reader = GroupOffsets.reader(kafka, "restart-it-lag")) {
            GroupOffsets offsets = new GroupOffsets(admin, reader, Duration.ofSeconds(5));
            Set<TopicPartition> raw =
                    admin
                            .describeTopics(List.of(Topics.RAW))
                            .allTopicNames()
                            .get()
                            .get(Topics.RAW)
                            .partitions()
                            .stream()
                            .map(i -> new TopicPartition(Topics.RAW, i.partition()))
                            .collect(Collectors.toSet());
            return offsets.positions(offsets.committed(APPLICATION_ID), raw).values().stream()
                    .mapToLong(GroupOffsets.Position::records)
                    .sum();
        }
    }

    static int activeTasks(KafkaStreams instance) {
        return instance.metadataForLocalThreads().stream()
                .mapToInt(t -> t.activeTasks().size())
                .sum();
    }

    @Test
    void restartedAndRebalancedInstancesPublishNothingTwice() throws Exception {
        // 1. resumed where the application id stood, the store restored from the changelog, nothing published twice
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(lag()).isZero();
            assertThat(metric("trackline_normalizer_store_restored_records_total"))
                    .as("the store of the previous instance was restored from its changelog")
                    .isPositive();
        });
        assertNoEventIdTwice();

        // 2. everything the raw topic holds, sent again: the restored memory knows every fact
        List<ConsumerRecord<String, byte[]>> raw = KafkaTestClients.readAllBytes(Topics.RAW);
        int eventsBefore = KafkaTestClients.readAll(Topics.EVENTS).size();
        for (ConsumerRecord<String, byte[]> r : raw) {
            KafkaTestClients.sendRaw(new Raw(r.key(), List.of(r.headers().toArray()), r.value()));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(lag()).isZero());
        assertThat(KafkaTestClients.readAll(Topics.EVENTS))
                .as("events published by %d raw records sent again", raw.size())
                .hasSize(eventsBefore);
        assertNoEventIdTwice();

        // 3. a second instance joins: tasks move to it and are restored there from the changelog
        Properties settings = new Properties();
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfra.kafka().bootstrapServers());
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("normalizer-second-").toString());
        // as the service does: leaving the group when it closes, so its tasks move back at once
        settings.put(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), "true");
        settings.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RecordFailureHandler.class.getName());
        settings.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, RecordFailureHandler.class.getName());
        KafkaStreams second = new KafkaStreams(topology.topology(), settings);
        List<Raw> callbacks = new ArrayList<>();
        String number = unique("HS");
        String payload = Samples.text(Samples.ALL24_EXAMPLE).replace("HSBY37H7", number);
        String shipment = "all24:demo:" + number;
        try {
            second.start();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(second.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
                assertThat(activeTasks(second)).isPositive();
                assertThat(activeTasks(streams)).isPositive();
            });
            // a new fact on every partition, and a whole history: each published once, wherever its task now runs
            for (int partition = 0; partition < TestInfra.PARTITIONS; partition++) {
                Raw callback = Poisons.validCallback(Poisons.orderIdOnPartition(partition));
                callbacks.add(callback);
                KafkaTestClients.sendRaw(callback);
            }
            KafkaTestClients.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, payload));
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(codes(shipment)).hasSize(5);
                callbacks.forEach(
                        c -> assertThat(KafkaTestClients.events(c.key())).hasSize(1));
            });
            // everything sent before, sent again to the instances as they now share the partitions
            for (ConsumerRecord<String, byte[]> r : raw.subList(0, Math.min(raw.size(), 200))) {
                KafkaTestClients.sendRaw(new Raw(r.key(), List.of(r.headers().toArray()), r.value()));
            }
            await().atMost(WAIT).untilAsserted(() -> assertThat(lag()).isZero());
            assertNoEventIdTwice();
        } finally {
            // 4. it leaves: its tasks move back
            second.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(activeTasks(streams)).isEqualTo(TestInfra.PARTITIONS);
        });
        String withNewEvent = payload.replace("\"history\": [", """
                "history": [ {"event_time": "2015-08-19 09:00:00", "event_name": "Order cancelled (by customer)",
                "event_code": "401100", "location_ref": "", "location": {}},""");
        for (Raw callback : callbacks) {
            KafkaTestClients.sendRaw(callback);
        }
        KafkaTestClients.sendRaw(
                envelope(Carrier.ALL24, Source.POLL, number, payload),
                envelope(Carrier.ALL24, Source.POLL, number, withNewEvent));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(codes(shipment))
                        .containsExactly(
                                "050000:INFO_RECEIVED",
                                "100000:IN_TRANSIT",
                                "200000:PICKED_UP",
                                "300000:OUT_FOR_DELIVERY",
                                "500000:DELIVERED",
                                "401100:CANCELLED"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(lag()).isZero());
        callbacks.forEach(c -> assertThat(KafkaTestClients.events(c.key())).hasSize(1));
        assertNoEventIdTwice();
    }
}
