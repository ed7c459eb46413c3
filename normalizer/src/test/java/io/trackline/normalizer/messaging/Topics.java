package io.trackline.normalizer.messaging;

import io.trackline.events.RawEnvelope;
import io.trackline.events.RawEnvelopes;
import io.trackline.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients on the test JVM's broker: what a producer of raw records and a consumer of events see. */
final class Topics {

    private Topics() {
    }

    static void sendRaw(RawEnvelope... envelopes) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (RawEnvelope e : envelopes) {
                producer.send(new ProducerRecord<>(io.trackline.events.Topics.RAW, e.key(),
                        new String(RawEnvelopes.encode(e), StandardCharsets.UTF_8))).get();
            }
        }
    }

    static void sendRawValue(String key, String value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(io.trackline.events.Topics.RAW, key, value)).get();
        }
    }

    /** Every record of the topic, from the beginning to its current end. */
    static List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static List<ConsumerRecord<String, String>> events(String shipmentId) {
        return readAll(io.trackline.events.Topics.EVENTS).stream().filter(r -> shipmentId.equals(r.key())).toList();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
