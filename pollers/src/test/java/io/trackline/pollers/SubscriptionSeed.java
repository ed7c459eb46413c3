package io.trackline.pollers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import io.trackline.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Subscriptions on the topic before the application starts: its consumer must find them all from the beginning of
 * each partition. One is ended by a tombstone; two records are no subscription and must be skipped.
 */
public class SubscriptionSeed implements QuarkusTestResourceLifecycleManager {

    static final int SEEDS = 12;
    /** The application's consumer group on the subscriptions topic. */
    static final String GROUP = "trackline-pollers";

    static final OffsetDateTime AT = OffsetDateTime.parse("2026-01-01T00:00:00Z");

    static List<Subscription> seeds() {
        return IntStream.range(0, SEEDS)
                .mapToObj(i -> new Subscription(Carrier.MRSPEEDY, "seed", String.valueOf(4_000_000 + i), null, AT))
                .toList();
    }

    /** The seed ended by a tombstone. */
    static Subscription ended() {
        return seeds().get(0);
    }

    @Override
    public Map<String, String> start() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestInfra.kafka().bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (Subscription seed : seeds()) {
                producer.send(new ProducerRecord<>(
                        Topics.SUBSCRIPTIONS,
                        seed.shipmentId(),
                        TracklineJson.mapper().writeValueAsBytes(seed)));
            }
            producer.send(new ProducerRecord<>(
                    Topics.SUBSCRIPTIONS,
                    "mrspeedy:seed:garbage",
                    "not a subscription".getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(
                    Topics.SUBSCRIPTIONS,
                    "mrspeedy:seed:elsewhere",
                    TracklineJson.mapper().writeValueAsBytes(seeds().get(1))));
            producer.send(new ProducerRecord<>(Topics.SUBSCRIPTIONS, ended().shipmentId(), null));
            producer.flush();
        } catch (Exception e) {
            throw new IllegalStateException("could not seed the subscriptions topic", e);
        }
        commitTheEnd();
        return Map.of();
    }

    /**
     * As if the group had read everything before: its committed offsets at the end of every partition, so only a
     * consumer that reads each assignment from the beginning finds the seeds.
     */
    private static void commitTheEnd() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        "bootstrap.servers",
                        TestInfra.kafka().bootstrapServers(),
                        "group.id",
                        GROUP,
                        "enable.auto.commit",
                        "false"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SUBSCRIPTIONS).stream()
                    .map(p -> new TopicPartition(Topics.SUBSCRIPTIONS, p.partition()))
                    .toList();
            Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
            consumer.endOffsets(partitions).forEach((tp, offset) -> end.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(end);
        }
    }

    @Override
    public void stop() {}
}
