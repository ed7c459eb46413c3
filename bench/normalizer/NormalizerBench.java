import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Normalizer throughput next to a pass-through copy, on one real Kafka broker (Apache Kafka 4.1 in KRaft mode in this
 * JVM), in one run. Both read the same N raw records of trackline.raw.v1 and write one record per raw record; both
 * rates are measured the same way, in steady state: the second half of the records written divided by the span of
 * their CreateTimes (see {@link #rate}).
 * Run by bench/normalizer/run.sh, which holds /tmp/trackline-bench.lock.
 */
public class NormalizerBench {

    static final String RAW = "trackline.raw.v1";
    static final String EVENTS = "trackline.events.v1";
    static final String COPY = "bench.copy.v1";
    static final int PARTITIONS = 3;

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String normalizerJar = args[1];
        String callback = Files.readString(Path.of(args[2]));
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker().withNodeId(0).withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(p -> {
                    p.put("log.dirs", tmp());
                    p.put("num.partitions", String.valueOf(PARTITIONS));
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("offsets.topic.num.partitions", "3");
                }).start();
        String bootstrap = broker.getAdvertisedListeners();
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(RAW, PARTITIONS, (short) 1),
                        new NewTopic(EVENTS, PARTITIONS, (short) 1), new NewTopic("trackline.raw.dlq.v1", 1, (short) 1),
                        new NewTopic(COPY, PARTITIONS, (short) 1), new NewTopic(COPY + ".2", PARTITIONS, (short) 1)))
                        .all().get();
            }
            produceRaw(bootstrap, n, callback);
            double copy1 = passThrough(bootstrap, n, COPY, "bench-copy-1");
            double normalized = normalizer(bootstrap, n, normalizerJar);
            double copy2 = passThrough(bootstrap, n, COPY + ".2", "bench-copy-2");
            double copy = (copy1 + copy2) / 2;
            System.out.printf("RESULT records=%d passthrough_1=%.0f/s passthrough_2=%.0f/s normalized=%.0f/s "
                    + "ratio=%.0f%%%n", n, copy1, copy2, normalized, 100 * normalized / copy);
        } finally {
            broker.close();
        }
    }

    static String tmp() {
        try {
            return Files.createTempDirectory("bench-kafka").toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** N MrSpeedy callbacks (the document's example), one order each: one canonical event per raw record. */
    static void produceRaw(String bootstrap, int n, String callback) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            String receivedAt = OffsetDateTime.now().toString();
            for (int i = 0; i < n; i++) {
                String orderId = String.valueOf(10_000_000 + i);
                String payload = callback.replace("1250032", orderId);
                // As ingest-webhooks writes it (io.trackline.events.RawEnvelopes): the callback embedded as it came.
                String envelope = "{\"schemaVersion\":2,\"carrier\":\"mrspeedy\",\"account\":\"demo\","
                        + "\"source\":\"webhook\",\"shipmentRef\":\"" + orderId + "\",\"receivedAt\":\"" + receivedAt
                        + "\",\"requestId\":\"bench-" + i + "\",\"contentType\":\"application/json\",\"headers\":{},"
                        + "\"contentDigest\":\"sha-256:" + HexFormat.of().formatHex(new byte[32]) + "\",\"payload\":"
                        + payload + "}";
                producer.send(new ProducerRecord<>(RAW, ("mrspeedy:demo:" + orderId).getBytes(StandardCharsets.UTF_8),
                        envelope.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        System.out.printf("produced %d raw records%n", n);
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        p.put("compression.type", "lz4");
        return new KafkaProducer<>(p);
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "500");
        if (group != null) {
            p.put("group.id", group);
        }
        return new KafkaConsumer<>(p);
    }

    /** Consumer -> producer copy of the raw topic, the same settings as the normalizer's channels. */
    static double passThrough(String bootstrap, int n, String target, String group) throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, group);
                KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            consumer.subscribe(List.of(RAW));
            long copied = 0;
            while (copied < n) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    producer.send(new ProducerRecord<>(target, r.partition(), r.key(), r.value(), r.headers()),
                            (md, e) -> {
                                if (e != null) {
                                    failed.set(e);
                                }
                                acked.incrementAndGet();
                            });
                    copied++;
                }
                producer.flush(); // a batch is done when written, as the normalizer acks a batch once written
                consumer.commitSync();
            }
        }
        if (failed.get() != null) {
            throw failed.get();
        }
        double rate = rate(bootstrap, target, n);
        System.out.printf("pass-through %s: %.0f records/s%n", target, rate);
        return rate;
    }

    static double normalizer(String bootstrap, int n, String jar) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dkafka.bootstrap.servers=" + bootstrap, "-Dquarkus.http.port=0",
                "-Dmp.messaging.incoming.raw-in.group.id=bench-normalizer", "-Dquarkus.log.level=WARN",
                "-jar", jar));
        // extra JVM options of the normalizer, e.g. NORMALIZER_JAVA_OPTS=-XX:StartFlightRecording=... to profile it
        String extra = System.getenv("NORMALIZER_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(1, List.of(extra.trim().split("\\s+")));
        }
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(Path.of(System.getProperty("java.io.tmpdir"), "bench-normalizer.log").toFile())
                .start();
        System.out.printf("normalizer started, pid %d%n", process.pid());
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (count(bootstrap, EVENTS) < n) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("normalizer did not publish " + n + " events");
                }
                Thread.sleep(1000); // polling a count in a benchmark harness, not a test
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        double rate = rate(bootstrap, EVENTS, n);
        System.out.printf("normalizer: %.0f events/s%n", rate);
        return rate;
    }

    static long count(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, null)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            return c.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Steady-state rate: the records written in the second half of the run divided by the CreateTime span of that
     * half. The first half warms up both sides (JIT, connections, batches), which a long-running service has done.
     */
    static double rate(String bootstrap, String topic, int n) {
        long[] times = new long[n];
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap, null)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (seen < n) {
                        times[seen] = r.timestamp();
                    }
                    seen++;
                }
            }
        }
        if (seen != n) {
            throw new IllegalStateException(topic + " holds " + seen + " records, expected " + n);
        }
        Arrays.sort(times);
        int from = n / 2;
        return (n - from) * 1000.0 / Math.max(1, times[n - 1] - times[from]);
    }
}
