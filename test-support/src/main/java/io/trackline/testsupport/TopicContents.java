package io.trackline.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Every record a topic of the test broker holds now, read from the beginning of each partition up to the end offsets
 * seen at the start, by a consumer that joins no group and commits nothing: what a Kafka tool would show.
 */
public final class TopicContents {

    private static final Duration READ_AT_MOST = Duration.ofSeconds(20);

    private TopicContents() {}

    /** The records of {@code topic} on {@link TestInfra#kafka()}, values as bytes, keys read by {@code keys}. */
    public static <K> List<ConsumerRecord<K, byte[]>> read(String topic, Deserializer<K> keys) {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<K, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(p, keys, new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_AT_MOST.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
