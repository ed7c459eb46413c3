import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Normalizer throughput next to a pass-through copy, on one real Kafka broker (Apache Kafka 4.1 in KRaft mode in this
 * JVM), in one run, in interleaved rounds (docs/benchmarks.md).
 *
 * <p>Both sides are long-lived processes of their own with the same JVM options, started once and warmed up alike:
 * the packaged normalizer reading {@code trackline.raw.v1}, and a plain consumer -> producer copy (this file, mode
 * {@code copy}) reading a raw topic of its own. Each round writes N new raw records (new orders: the normalizer's
 * dedupe lets every one through) to one side's input topic in one Kafka transaction; both sides read committed
 * records only, so a round's records appear to its side all at once, and the side copies or normalizes them as fast as
 * it can. A round's rate is the number of records it wrote divided by the span of their CreateTimes. After W warm-up
 * rounds per side (not counted), R rounds per side alternate, copy first; the medians are compared.
 *
 * <pre>
 *   java -cp ... NormalizerBench.java run &lt;records per round&gt; &lt;rounds&gt; &lt;warm-up rounds&gt; &lt;normalizer jar&gt;
 *       &lt;callback.json&gt; &lt;this file&gt;
 *   java -cp ... NormalizerBench.java copy &lt;bootstrap&gt; &lt;from&gt; &lt;to&gt;     (started by run)
 * </pre>
 * Run by bench/normalizer/run.sh. JVM options of both sides: {@code BENCH_JAVA_OPTS} (run.sh sets it), extra ones
 * of the normalizer only: {@code NORMALIZER_JAVA_OPTS} (e.g. {@code -XX:StartFlightRecording=...}).
 */
public class NormalizerBench {

    static final String RAW = "trackline.raw.v1";
    static final String EVENTS = "trackline.events.v1";
    static final String COPY_IN = "bench.raw.copy.v1";
    static final String COPY_OUT = "bench.copy.v1";
    static final int PARTITIONS = 3;
    /**
     * Batches in flight of the pass-through copy: the window of the normalizer's consumer before it became a Kafka
     * Streams application (issue 14's benchmark rerun decides what the copy is compared with now).
     */
    static final int BATCHES_IN_FLIGHT = 4;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("copy")) {
            copy(args[1], args[2], args[3]);
            return;
        }
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int warmups = Integer.parseInt(args[3]);
        String normalizerJar = args[4];
        String callback = Files.readString(Path.of(args[5]));
        String self = args[6]; // this file, for the copy side's source launcher
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                .withNodeId(0)
                .withDeleteLogDirsOnClose(true)
                .withAdditionalProperties(p -> {
                    p.put("log.dirs", tmp());
                    p.put("num.partitions", String.valueOf(PARTITIONS));
                    p.put("group.initial.rebalance.delay.ms", "0");
                    p.put("offsets.topic.num.partitions", "3");
                    p.put("transaction.state.log.replication.factor", "1");
                    p.put("transaction.state.log.min.isr", "1");
                    p.put("transaction.state.log.num.partitions", "1");
                })
                .start();
        String bootstrap = broker.getAdvertisedListeners();
        List<Process> sides = new ArrayList<>();
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(
                                new NewTopic(RAW, PARTITIONS, (short) 1),
                                new NewTopic(EVENTS, PARTITIONS, (short) 1),
                                new NewTopic("trackline.raw.dlq.v1", 1, (short) 1),
                                new NewTopic("trackline.events.dlq.v1", 1, (short) 1),
                                new NewTopic(COPY_IN, PARTITIONS, (short) 1),
                                new NewTopic(COPY_OUT, PARTITIONS, (short) 1)))
                        .all()
                        .get();
            }
            List<String> jvm = jvmOptions("BENCH_JAVA_OPTS");
            List<String> normalizer = new ArrayList<>(jvm);
            normalizer.addAll(jvmOptions("NORMALIZER_JAVA_OPTS"));
            normalizer.addAll(List.of(
                    "-Dkafka.bootstrap.servers=" + bootstrap,
                    "-Dquarkus.http.port=0",
                    // its own Kafka Streams application id (consumer group, store, changelog); exactly-once reads
                    // read_committed
                    "-Dquarkus.kafka-streams.application-id=bench-normalizer",
                    "-Dquarkus.log.level=WARN",
                    "-jar",
                    normalizerJar));
            sides.add(start("normalizer", normalizer));
            List<String> copier = new ArrayList<>(jvm);
            copier.addAll(
                    List.of("-cp", System.getProperty("java.class.path"), self, "copy", bootstrap, COPY_IN, COPY_OUT));
            sides.add(start("pass-through", copier));
            System.out.printf(
                    "JVM options of both sides: %s%s; %d records per round (about %d bytes each)%n",
                    String.join(" ", jvm),
                    System.getenv().getOrDefault("NORMALIZER_JAVA_OPTS", "").isBlank()
                            ? ""
                            : "; the normalizer also " + System.getenv("NORMALIZER_JAVA_OPTS"),
                    n,
                    rawRecord(RAW, "10000000", callback, "x").value().length);

            int[] order = {0};
            try (KafkaProducer<String, byte[]> producer = transactional(bootstrap)) {
                for (int w = 1; w <= warmups; w++) {
                    System.out.printf(
                            "warm-up %d: pass-through %.0f records/s, normalizer %.0f events/s%n",
                            w,
                            round(bootstrap, producer, COPY_IN, COPY_OUT, n, callback, order, sides),
                            round(bootstrap, producer, RAW, EVENTS, n, callback, order, sides));
                }
                double[] copies = new double[rounds];
                double[] normalized = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    copies[r] = round(bootstrap, producer, COPY_IN, COPY_OUT, n, callback, order, sides);
                    normalized[r] = round(bootstrap, producer, RAW, EVENTS, n, callback, order, sides);
                    System.out.printf(
                            "round %d: pass-through %.0f records/s, normalizer %.0f events/s (%.0f %%)%n",
                            r + 1, copies[r], normalized[r], 100 * normalized[r] / copies[r]);
                }
                double copy = median(copies);
                double norm = median(normalized);
                System.out.printf(
                        Locale.ROOT,
                        "RESULT records_per_round=%d rounds=%d passthrough_median=%.0f/s "
                                + "normalizer_median=%.0f/s ratio=%.0f%% passthrough=%s normalizer=%s%n",
                        n,
                        rounds,
                        copy,
                        norm,
                        100 * norm / copy,
                        Arrays.toString(rounded(copies)),
                        Arrays.toString(rounded(normalized)));
            }
        } finally {
            for (Process side : sides) {
                side.destroy();
                if (!side.waitFor(30, TimeUnit.SECONDS)) {
                    side.destroyForcibly();
                }
            }
            broker.close();
        }
    }

    /**
     * The raw record ingest-webhooks writes for a MrSpeedy callback, built by the events module's own code: the one
     * place to change when the raw topic's encoding changes.
     */
    static ProducerRecord<String, byte[]> rawRecord(String topic, String orderId, String callback, String requestId) {
        byte[] payload = callback.replace("1250032", orderId).getBytes(StandardCharsets.UTF_8);
        RawEnvelope envelope = RawEnvelope.of(
                Carrier.MRSPEEDY,
                "demo",
                Source.WEBHOOK,
                orderId,
                OffsetDateTime.now(),
                requestId,
                "application/json",
                Map.of(),
                payload);
        return RawRecords.record(topic, envelope); // CloudEvents binary mode: the payload as value, ce_* headers
    }

    /**
     * One round: N new raw records to {@code in} in one transaction, then waits until {@code out} holds N more records
     * and returns their rate (records / CreateTime span). Fails when a side has died or takes over 5 minutes.
     */
    static double round(
            String bootstrap,
            KafkaProducer<String, byte[]> producer,
            String in,
            String out,
            int n,
            String callback,
            int[] order,
            List<Process> sides)
            throws Exception {
        Map<TopicPartition, Long> before = endOffsets(bootstrap, out);
        long expected = before.values().stream().mapToLong(Long::longValue).sum() + n;
        producer.beginTransaction();
        for (int i = 0; i < n; i++) {
            int o = order[0]++;
            producer.send(rawRecord(in, String.valueOf(10_000_000 + o), callback, "bench-" + o));
        }
        producer.commitTransaction();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (endOffsets(bootstrap, out).values().stream()
                        .mapToLong(Long::longValue)
                        .sum()
                < expected) {
            for (Process side : sides) {
                if (!side.isAlive()) {
                    throw new IllegalStateException("a side of the benchmark has stopped (see its log in /tmp)");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(out + " did not receive " + n + " records within 5 minutes");
            }
            Thread.sleep(200); // polling a count in a benchmark harness, not a test
        }
        return rate(bootstrap, out, before, n);
    }

    /**
     * The copy side: read committed records of {@code from}, write them to {@code to}, until killed. It works as the
     * normalizer's processing loop does: the next batch is polled while up to {@value #BATCHES_IN_FLIGHT} earlier ones
     * are being stored, and a batch's offsets are committed once all its records are stored. (Writing each batch and
     * waiting for it before the next poll made the copy slower than the normalizer: no ceiling to compare against.)
     */
    static void copy(String bootstrap, String from, String to) throws Exception {
        AtomicReference<Exception> failed = new AtomicReference<>();
        Properties p = consumerSettings(bootstrap);
        p.put("group.id", "bench-copy");
        p.put("isolation.level", "read_committed");
        Deque<Map.Entry<CompletableFuture<Void>, Map<TopicPartition, OffsetAndMetadata>>> unstored = new ArrayDeque<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        producerSettings(bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(List.of(from));
            while (failed.get() == null) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                CompletableFuture<Void> stored = new CompletableFuture<>();
                AtomicInteger remaining = new AtomicInteger(records.count());
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    producer.send(new ProducerRecord<>(to, r.partition(), r.key(), r.value(), r.headers()), (md, e) -> {
                        if (e != null) {
                            failed.set(e);
                        }
                        if (remaining.decrementAndGet() == 0) {
                            stored.complete(null);
                        }
                    });
                }
                unstored.addLast(Map.entry(stored, offsets));
                while (!unstored.isEmpty()
                        && (unstored.peekFirst().getKey().isDone() || unstored.size() >= BATCHES_IN_FLIGHT)) {
                    var oldest = unstored.removeFirst();
                    oldest.getKey().get();
                    consumer.commitAsync(oldest.getValue(), null);
                }
            }
        }
        throw failed.get();
    }

    static Process start(String name, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options);
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "bench-" + name + ".log");
        Process process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        System.out.printf("%s started, pid %d, log %s%n", name, process.pid(), log);
        return process;
    }

    static List<String> jvmOptions(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank()
                ? List.of()
                : List.of(value.trim().split("\\s+"));
    }

    static String tmp() {
        try {
            return Files.createTempDirectory("bench-kafka").toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The normalizer's producer settings (acks=all, idempotence, linger 5 ms, lz4). */
    static Properties producerSettings(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        p.put("compression.type", "lz4");
        return p;
    }

    static KafkaProducer<String, byte[]> transactional(String bootstrap) {
        Properties p = producerSettings(bootstrap);
        p.put("transactional.id", "bench-rounds");
        p.put("transaction.timeout.ms", "300000");
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    static Properties consumerSettings(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "500");
        return p;
    }

    static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerSettings(bootstrap))) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            return c.endOffsets(tps);
        }
    }

    /** The N records written to {@code topic} after {@code from}, divided by the span of their CreateTimes. */
    static double rate(String bootstrap, String topic, Map<TopicPartition, Long> from, int n) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int seen = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerSettings(bootstrap))) {
            List<TopicPartition> tps = List.copyOf(from.keySet());
            c.assign(tps);
            tps.forEach(tp -> c.seek(tp, from.get(tp)));
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                    seen++;
                }
            }
        }
        if (seen != n) {
            throw new IllegalStateException(topic + " received " + seen + " records in the round, expected " + n);
        }
        return (n - 1) * 1000.0 / Math.max(1, last - first);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    static long[] rounded(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
