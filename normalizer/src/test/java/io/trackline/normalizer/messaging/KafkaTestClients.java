package io.trackline.normalizer.messaging;

import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Topics;
import io.trackline.testsupport.TestInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/** Plain Kafka clients on the test JVM's broker: what a producer of raw records and a consumer of events see. */
final class KafkaTestClients {

    private KafkaTestClients() {}

    /** Sends envelopes as the raw topic holds them ({@link RawRecords}) and waits until they are stored. */
    static void sendRaw(RawEnvelope... envelopes) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        p.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (RawEnvelope e : envelopes) {
                producer.send(RawRecords.record(Topics.RAW, e)).get();
            }
        }
    }

    static void sendRawValue(String key, String value) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(Topics.RAW, key, value)).get();
        }
    }

    private static KafkaProducer<String, byte[]> bytesProducer;

    /** Sends a raw record value as bytes, exactly, and waits until it is stored; returns where. */
    static RecordMetadata sendRawBytes(String key, byte[] value, Header... headers) throws Exception {
        return bytesProducer()
                .send(new ProducerRecord<>(Topics.RAW, null, key, value, List.of(headers)))
                .get();
    }

    /** Sends a raw record (its key, headers and value as they are, then {@code more} headers); returns where. */
    static RecordMetadata sendRaw(Poisons.Raw raw, Header... more) throws Exception {
        List<Header> headers = new ArrayList<>(raw.headers());
        headers.addAll(List.of(more));
        return bytesProducer()
                .send(new ProducerRecord<>(Topics.RAW, null, raw.key(), raw.value(), headers))
                .get();
    }

    /** One producer for the byte records of a test class (made once: a producer per record costs a second). */
    private static synchronized KafkaProducer<String, byte[]> bytesProducer() {
        if (bytesProducer == null) {
            Properties p = new Properties();
            p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
            p.put("acks", "all");
            p.put("max.request.size", "2000000");
            bytesProducer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return bytesProducer;
    }

    static synchronized void closeProducer() {
        if (bytesProducer != null) {
            bytesProducer.close(Duration.ofSeconds(5));
            bytesProducer = null;
        }
    }

    /** The partition Kafka's default partitioner gives a key on a topic of {@code partitions} partitions. */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** Every record of the topic with its value as bytes, from the beginning to its current end. */
    static List<ConsumerRecord<String, byte[]>> readAllBytes(String topic) {
        Reader reader;
        synchronized (READERS) {
            reader = READERS.computeIfAbsent(topic, Reader::new);
        }
        return reader.upToTheEnd();
    }

    /** Every record of the topic, from the beginning to its current end. */
    static List<ConsumerRecord<String, String>> readAll(String topic) {
        return readAllBytes(topic).stream()
                .map(r -> new ConsumerRecord<>(
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.timestamp(),
                        r.timestampType(),
                        r.serializedKeySize(),
                        r.serializedValueSize(),
                        r.key(),
                        r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                        r.headers(),
                        r.leaderEpoch()))
                .toList();
    }

    private static final Map<String, Reader> READERS = new HashMap<>();

    /**
     * One consumer per topic (per class loader of the test JVM) that keeps what it read and on each call reads only
     * what was added since: the topics only grow, and a consumer per read cost most of a second per check.
     */
    private static final class Reader {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();

        Reader(String topic) {
            Properties p = new Properties();
            p.put("bootstrap.servers", TestInfra.kafka().bootstrapServers());
            p.put("enable.auto.commit", "false");
            p.put("fetch.max.wait.ms", "50");
            // The normalizer writes events and dead letters in transactions: a consumer sees committed ones only.
            p.put("isolation.level", "read_committed");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        synchronized List<ConsumerRecord<String, byte[]>> upToTheEnd() {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + partitions + " up to " + end);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            return List.copyOf(read);
        }
    }

    static List<ConsumerRecord<String, String>> events(String shipmentId) {
        return readAll(Topics.EVENTS).stream()
                .filter(r -> shipmentId.equals(r.key()))
                .toList();
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
