package io.trackline.normalizer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.TracklineJson;
import io.trackline.kafka.KafkaClients;
import io.trackline.normalizer.service.ShipmentMemory;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the events topic already holds, for a re-normalization run: the run has a store of its own, so it learns the
 * published facts of a partition by reading that partition of {@code trackline.events.v1} once, from the beginning to
 * its end offset at the time ({@code read_committed}, a consumer of its own outside any group). Normal operation never
 * reads the events topic: its memory is the state store.
 */
@FunctionalInterface
interface EventsTopicSeed {

    /** A canonical event as read back: enough to remember it. */
    record PublishedFact(
            String eventId,
            CanonicalStatus status,
            CanonicalReason reason,
            String rawField,
            String rawCode,
            Instant occurredAt) {

        void accept(ShipmentMemory memory, int maxFacts) {
            memory.record(eventId, status, reason, rawField, rawCode, occurredAt, maxFacts);
        }
    }

    /**
     * @param configs the Kafka Streams settings (bootstrap servers, security: what a consumer knows of them is used)
     * @param sink    called with the shipment id and the fact of every canonical event of the partition
     * @return the events read
     */
    int read(Map<String, Object> configs, String topic, int partition, BiConsumer<String, PublishedFact> sink);

    /** Reads the partition from Kafka. */
    EventsTopicSeed KAFKA = (configs, topic, partition, sink) -> {
        TopicPartition tp = new TopicPartition(topic, partition);
        Map<String, Object> settings = KafkaClients.consumerSettings(
                configs,
                Map.of(
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                        ConsumerConfig.CLIENT_ID_CONFIG, "trackline-normalizer-renormalize-seed-" + partition));
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        int events = 0;
        try (KafkaConsumer<byte[], byte[]> reader =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long end = reader.endOffsets(List.of(tp)).get(tp);
            while (reader.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end && remember(r, sink)) {
                        events++;
                    }
                }
            }
        }
        return events;
    };

    private static boolean remember(ConsumerRecord<byte[], byte[]> record, BiConsumer<String, PublishedFact> sink) {
        Header id = record.headers().lastHeader("ce_id");
        if (id == null || record.value() == null) {
            return false;
        }
        try {
            JsonNode data = TracklineJson.mapper().readTree(record.value());
            String shipmentId = data.path("shipmentId").asText(null);
            if (shipmentId == null) {
                return false;
            }
            sink.accept(
                    shipmentId,
                    new PublishedFact(
                            new String(id.value(), StandardCharsets.UTF_8),
                            enumOrNull(
                                    CanonicalStatus.class, data.path("status").asText(null)),
                            enumOrNull(
                                    CanonicalReason.class, data.path("reason").asText(null)),
                            data.path("rawField").asText(null),
                            data.path("rawCode").asText(null),
                            instantOrNull(data.path("occurredAt").asText(null))));
            return true;
        } catch (Exception e) {
            Log.warnf(
                    "events record %d@%d is not a canonical event; not remembered",
                    record.partition(), record.offset());
            return false;
        }
    }

    private static Instant instantOrNull(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        try {
            return name == null ? null : Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
