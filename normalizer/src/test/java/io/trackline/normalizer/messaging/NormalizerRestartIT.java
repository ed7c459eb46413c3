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
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.trackline.events.Carrier;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.normalizer.Samples;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.TestInfra;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A second normalizer instance, started after {@link NormalizerIT}'s has stopped (Quarkus runs profiled test classes
 * after the others), in a fresh consumer group: it re-reads the whole raw topic from the beginning with an empty
 * memory, which is the worst case of a restart (all offsets lost). It must rebuild what was published from the events
 * topic and publish nothing twice; then a forced rebalance must do the same.
 */
@QuarkusTest
@TestProfile(NormalizerRestartIT.FreshGroup.class)
@QuarkusTestResource(KafkaTestResource.class)
class NormalizerRestartIT {

    static final String GROUP = "trackline-normalizer-restart-" + UUID.randomUUID();

    public static class FreshGroup implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "mp.messaging.incoming.raw-in.group.id",
                    GROUP,
                    "mp.messaging.incoming.raw-in.auto.commit.interval.ms",
                    "500");
        }
    }

    @Inject
    KafkaClientService clients;

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

    static long lag() throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<TopicPartition, OffsetSpec> latest =
                    admin
                            .describeTopics(List.of(Topics.RAW))
                            .allTopicNames()
                            .get()
                            .get(Topics.RAW)
                            .partitions()
                            .stream()
                            .collect(Collectors.toMap(
                                    i -> new TopicPartition(Topics.RAW, i.partition()), i -> OffsetSpec.latest()));
            long lag = 0;
            for (var e : admin.listOffsets(latest).all().get().entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }

    @Test
    void restartedInstanceAndRebalancedPartitionsPublishNothingTwice() throws Exception {
        // 1. the new instance has re-read the whole raw topic, including everything NormalizerIT sent
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(lag()).isZero();
            assertThat(metric("trackline_normalizer_dedupe_rebuilt_events_total"))
                    .as("the events published by the previous instance were read back")
                    .isPositive();
        });
        assertNoEventIdTwice();

        // 2. a shipment normalized by this instance, then a rebalance: the memory is dropped and rebuilt from Kafka
        String number = unique("HS");
        String payload = Samples.text(Samples.ALL24_EXAMPLE).replace("HSBY37H7", number);
        String shipment = "all24:demo:" + number;
        KafkaTestClients.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, payload));
        await().atMost(WAIT).untilAsserted(() -> assertThat(codes(shipment)).hasSize(5));

        double rebuiltBefore = metric("trackline_normalizer_dedupe_rebuilt_events_total");
        clients.getConsumer(RawEventProcessor.RAW_IN)
                .runOnPollingThread(c -> {
                    c.enforceRebalance();
                    return null;
                })
                .await()
                .indefinitely();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(metric("trackline_normalizer_dedupe_rebuilt_events_total"))
                        .isGreaterThan(rebuiltBefore));

        String withNewEvent = payload.replace("\"history\": [", """
                "history": [ {"event_time": "2015-08-19 09:00:00", "event_name": "Order cancelled (by customer)",
                "event_code": "401100", "location_ref": "", "location": {}},""");
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
        assertNoEventIdTwice();
    }
}
