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
import java.util.LinkedHashMap;
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
 * Normalizer throughput next to pass-through copies, on one real Kafka broker (Apache Kafka 4.1 in KRaft mode in this
 * JVM), in one run, in interleaved rounds (docs/benchmarks.md).
 *
 * <p>Four long-lived processes of their own with the same JVM options, started once and warmed up alike: the packaged
 * normalizer (a Kafka Streams application) with {@code processing.guarantee=exactly_once_v2}, the same normalizer
 * with {@code at_least_once} (an application id, topics and state directory of its own), a transactional copy (this
 * file, mode {@code copy-eos}: consume, produce and {@code sendOffsetsToTransaction} in one transaction committed every
 * commit interval, as Kafka Streams does under exactly-once) and a plain copy (mode {@code copy}: consumer -> producer,
 * offsets committed once a batch is stored). Each round writes N new raw records (new orders: the normalizer's store
 * lets every one through) to one side's input topic in one Kafka transaction; every side reads committed records
 * only, so a round's records appear to its side all at once. The harness reads the side's output read_committed from
 * the offsets before the round until it holds N more records (the transaction markers of the exactly-once sides are
 * not records): that is the completion. Output topics stamp records with the broker's LogAppendTime, the same clock
 * for the copies and the normalizer, so a round's rate is N over the span of the append times of the N records that
 * side wrote. After W warm-up rounds per side (not counted), R rounds per side alternate: EOS copy, EOS normalizer,
 * plain copy, at-least-once normalizer; the medians are compared pairwise. At the end the sides are stopped (the
 * stores flushed) and the exactly-once normalizer's store is measured: its RocksDB state directory and its changelog
 * topic on the broker, each divided by the shipments it holds.
 *
 * <pre>
 *   java -cp ... NormalizerBench.java run &lt;records per round&gt; &lt;rounds&gt; &lt;warm-up rounds&gt; &lt;normalizer jar&gt;
 *       &lt;callback.json&gt; &lt;this file&gt;
 *   java -cp ... NormalizerBench.java copy &lt;bootstrap&gt; &lt;from&gt; &lt;to&gt;                    (started by run)
 *   java -cp ... NormalizerBench.java copy-eos &lt;bootstrap&gt; &lt;from&gt; &lt;to&gt; &lt;commit ms&gt;   (started by run)
 * </pre>
 * Run by bench/normalizer/run.sh. JVM options of all sides: {@code BENCH_JAVA_OPTS} (run.sh sets it); extra ones of
 * the normalizers only: {@code NORMALIZER_JAVA_OPTS} (e.g. {@code -Dkafka-streams.commit.interval.ms=200}); the
 * transactional copy's commit interval: {@code COPY_COMMIT_INTERVAL_MS} (100, Kafka Streams' default under
 * exactly-once; set it to the normalizer's when that is changed).
 */
public class NormalizerBench {

    static final String RAW = "trackline.raw.v1";
    static final String EVENTS = "trackline.events.v1";
    static final String RAW_ALOS = "bench.raw.alos.v1";
    static final String EVENTS_ALOS = "bench.events.alos.v1";
    static final String COPY_IN = "bench.raw.copy.v1";
    static final String COPY_OUT = "bench.copy.v1";
    static final String COPY_EOS_IN = "bench.raw.copy-eos.v1";
    static final String COPY_EOS_OUT = "bench.copy-eos.v1";
    static final String APP_EOS = "bench-normalizer-eos";
    static final String APP_ALOS = "bench-normalizer-alos";
    static final String CHANGELOG_EOS = APP_EOS + "-shipments-changelog";
    static final int PARTITIONS = 3;
    /**
     * Batches in flight of the plain copy: it polls the next batch while up to this many earlier ones are being
     * stored (Kafka Streams at_least_once sends asynchronously too and commits offsets every commit.interval.ms).
     */
    static final int BATCHES_IN_FLIGHT = 4;

    /** Raw records written per input topic in the run (every one a new order: a shipment of its own). */
    static final Map<String, Long> WRITTEN = new HashMap<>();

    /** One side: a process reading {@code in} and writing {@code out}. */
    record Side(String name, String in, String out) {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("copy")) {
            copy(args[1], args[2], args[3]);
            return;
        }
        if (args[0].equals("copy-eos")) {
            copyEos(args[1], args[2], args[3], Long.parseLong(args[4]));
            return;
        }
        int n = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int warmups = Integer.parseInt(args[3]);
        String normalizerJar = args[4];
        String callback = Files.readString(Path.of(args[5]));
        String self = args[6]; // this file, for the copy sides' source launcher
        long copyCommitMs = Long.parseLong(System.getenv().getOrDefault("COPY_COMMIT_INTERVAL_MS", "100"));
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
        Path stateEos = Path.of(tmp());
        Path stateAlos = Path.of(tmp());
        Map<String, Process> processes = new LinkedHashMap<>();
        Side copyEos = new Side("EOS copy", COPY_EOS_IN, COPY_EOS_OUT);
        Side normEos = new Side("EOS normalizer", RAW, EVENTS);
        Side copyPlain = new Side("plain copy", COPY_IN, COPY_OUT);
        Side normAlos = new Side("at-least-once normalizer", RAW_ALOS, EVENTS_ALOS);
        List<Side> sides = List.of(copyEos, normEos, copyPlain, normAlos);
        int[] order = {0};
        Map<Side, double[]> measured = new LinkedHashMap<>();
        try {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
                admin.createTopics(List.of(
                                new NewTopic(RAW, PARTITIONS, (short) 1),
                                new NewTopic(EVENTS, PARTITIONS, (short) 1).configs(appendTime),
                                new NewTopic(RAW_ALOS, PARTITIONS, (short) 1),
                                new NewTopic(EVENTS_ALOS, PARTITIONS, (short) 1).configs(appendTime),
                                new NewTopic("trackline.raw.dlq.v1", 1, (short) 1),
                                new NewTopic("trackline.events.dlq.v1", 1, (short) 1),
                                new NewTopic(COPY_IN, PARTITIONS, (short) 1),
                                new NewTopic(COPY_OUT, PARTITIONS, (short) 1).configs(appendTime),
                                new NewTopic(COPY_EOS_IN, PARTITIONS, (short) 1),
                                new NewTopic(COPY_EOS_OUT, PARTITIONS, (short) 1).configs(appendTime)))
                        .all()
                        .get();
            }
            List<String> jvm = jvmOptions("BENCH_JAVA_OPTS");
            processes.put(
                    normEos.name(),
                    start(
                            "normalizer-eos",
                            normalizer(jvm, bootstrap, APP_EOS, "exactly_once_v2", stateEos, normalizerJar)));
            List<String> alos = normalizer(jvm, bootstrap, APP_ALOS, "at_least_once", stateAlos, normalizerJar);
            alos.addAll(
                    alos.size() - 2,
                    List.of(
                            "-Dtrackline.normalizer.raw-topic=" + RAW_ALOS,
                            "-Dtrackline.normalizer.events-topic=" + EVENTS_ALOS,
                            // under at_least_once Kafka Streams reads uncommitted by default: it then started on a
                            // round while the harness was still writing it (run 20261201T220655Z); read committed as
                            // every other side does, so the round appears to it at once as well
                            "-Dkafka-streams.main.consumer.isolation.level=read_committed"));
            processes.put(normAlos.name(), start("normalizer-alos", alos));
            List<String> copier = new ArrayList<>(jvm);
            copier.addAll(List.of(
                    "-cp",
                    System.getProperty("java.class.path"),
                    self,
                    "copy-eos",
                    bootstrap,
                    COPY_EOS_IN,
                    COPY_EOS_OUT,
                    String.valueOf(copyCommitMs)));
            processes.put(copyEos.name(), start("copy-eos", copier));
            copier = new ArrayList<>(jvm);
            copier.addAll(
                    List.of("-cp", System.getProperty("java.class.path"), self, "copy", bootstrap, COPY_IN, COPY_OUT));
            processes.put(copyPlain.name(), start("copy", copier));
            System.out.printf(
                    "JVM options of all four sides: %s%s; the transactional copy commits every %d ms; %d records per"
                            + " round (about %d bytes each)%n",
                    String.join(" ", jvm),
                    System.getenv().getOrDefault("NORMALIZER_JAVA_OPTS", "").isBlank()
                            ? ""
                            : "; the normalizers also " + System.getenv("NORMALIZER_JAVA_OPTS"),
                    copyCommitMs,
                    n,
                    rawRecord(RAW, "10000000", callback, "x").value().length);

            try (KafkaProducer<String, byte[]> producer = transactional(bootstrap)) {
                for (int w = 1; w <= warmups; w++) {
                    StringBuilder line = new StringBuilder("warm-up " + w + ":");
                    for (Side side : sides) {
                        double rate = round(bootstrap, producer, side, n, callback, order, processes);
                        line.append(String.format(Locale.ROOT, " %s %.0f/s,", side.name(), rate));
                    }
                    System.out.println(line.substring(0, line.length() - 1));
                }
                sides.forEach(side -> measured.put(side, new double[rounds]));
                for (int r = 0; r < rounds; r++) {
                    for (Side side : sides) {
                        measured.get(side)[r] = round(bootstrap, producer, side, n, callback, order, processes);
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "round %d: EOS copy %.0f records/s, EOS normalizer %.0f events/s (%.0f %%); plain copy %.0f"
                                    + " records/s, at-least-once normalizer %.0f events/s (%.0f %%)%n",
                            r + 1,
                            measured.get(copyEos)[r],
                            measured.get(normEos)[r],
                            100 * measured.get(normEos)[r] / measured.get(copyEos)[r],
                            measured.get(copyPlain)[r],
                            measured.get(normAlos)[r],
                            100 * measured.get(normAlos)[r] / measured.get(copyPlain)[r]);
                }
                System.out.printf(
                        Locale.ROOT,
                        "RESULT records_per_round=%d rounds=%d eos_copy_median=%.0f/s eos_normalizer_median=%.0f/s"
                                + " eos_ratio=%.0f%% plain_copy_median=%.0f/s alos_normalizer_median=%.0f/s"
                                + " alos_ratio=%.0f%% eos_copy=%s eos_normalizer=%s plain_copy=%s alos_normalizer=%s%n",
                        n,
                        rounds,
                        median(measured.get(copyEos)),
                        median(measured.get(normEos)),
                        100 * median(measured.get(normEos)) / median(measured.get(copyEos)),
                        median(measured.get(copyPlain)),
                        median(measured.get(normAlos)),
                        100 * median(measured.get(normAlos)) / median(measured.get(copyPlain)),
                        Arrays.toString(rounded(measured.get(copyEos))),
                        Arrays.toString(rounded(measured.get(normEos))),
                        Arrays.toString(rounded(measured.get(copyPlain))),
                        Arrays.toString(rounded(measured.get(normAlos))));
            }
        } finally {
            for (Process process : processes.values()) {
                process.destroy(); // SIGTERM: the normalizers close Kafka Streams, which flushes the stores
            }
            for (Process process : processes.values()) {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            try {
                storeSize(bootstrap, stateEos, WRITTEN.getOrDefault(normEos.in(), 0L));
            } catch (Exception e) {
                System.out.println("STORE not measured: " + e);
            } finally {
                broker.close();
            }
        }
    }

    static List<String> normalizer(
            List<String> jvm, String bootstrap, String applicationId, String guarantee, Path stateDir, String jar) {
        List<String> options = new ArrayList<>(jvm);
        options.addAll(jvmOptions("NORMALIZER_JAVA_OPTS"));
        options.addAll(List.of(
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dquarkus.http.port=0",
                // an application id of its own: its consumer group, store and changelog
                "-Dquarkus.kafka-streams.application-id=" + applicationId,
                "-Dkafka-streams.processing.guarantee=" + guarantee,
                "-Dkafka-streams.state.dir=" + stateDir,
                "-Dquarkus.log.level=WARN",
                "-jar",
                jar));
        return options;
    }

    /**
     * The exactly-once normalizer's store after the run, per shipment (every raw record of the run is a new order, so
     * the shipments it holds are the records it read): its RocksDB state directory (flushed when it stopped) and its
     * changelog topic's bytes on the broker (compressed batches, not yet compacted: one record per shipment here).
     */
    static void storeSize(String bootstrap, Path stateDir, long shipments) throws Exception {
        long stateBytes;
        try (var files = Files.walk(stateDir)) {
            stateBytes = files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
        long changelogBytes = 0;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            for (var dir : admin.describeLogDirs(List.of(0))
                    .allDescriptions()
                    .get()
                    .get(0)
                    .values()) {
                for (var replica : dir.replicaInfos().entrySet()) {
                    if (replica.getKey().topic().equals(CHANGELOG_EOS)) {
                        changelogBytes += replica.getValue().size();
                    }
                }
            }
        }
        long changelogRecords = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerSettings(bootstrap))) {
            List<TopicPartition> tps = c.partitionsFor(CHANGELOG_EOS).stream()
                    .map(i -> new TopicPartition(CHANGELOG_EOS, i.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                changelogRecords += c.poll(Duration.ofMillis(500)).count();
            }
        }
        System.out.printf(
                Locale.ROOT,
                "STORE shipments=%d state_dir_bytes=%d (%.0f bytes per shipment) changelog_bytes=%d (%.0f bytes per"
                        + " shipment) changelog_records=%d%n",
                shipments,
                stateBytes,
                shipments == 0 ? 0.0 : (double) stateBytes / shipments,
                changelogBytes,
                shipments == 0 ? 0.0 : (double) changelogBytes / shipments,
                changelogRecords);
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
     * One round: N new raw records to the side's input in one transaction, then reads its output read_committed from
     * the offsets before the round until it holds N records, and returns their rate (N / span of their LogAppendTimes).
     * Fails when a process has died, when the side writes more than N, or when it takes over 5 minutes.
     */
    static double round(
            String bootstrap,
            KafkaProducer<String, byte[]> producer,
            Side side,
            int n,
            String callback,
            int[] order,
            Map<String, Process> processes)
            throws Exception {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerSettings(bootstrap))) {
            List<TopicPartition> tps = c.partitionsFor(side.out()).stream()
                    .map(i -> new TopicPartition(side.out(), i.partition()))
                    .toList();
            Map<TopicPartition, Long> before = c.endOffsets(tps); // read_committed: the last stable offsets
            c.assign(tps);
            tps.forEach(tp -> c.seek(tp, before.get(tp)));
            producer.beginTransaction();
            for (int i = 0; i < n; i++) {
                int o = order[0]++;
                producer.send(rawRecord(side.in(), String.valueOf(10_000_000 + o), callback, "bench-" + o));
            }
            producer.commitTransaction();
            WRITTEN.merge(side.in(), (long) n, Long::sum);
            long committed = System.nanoTime();
            long deadline = committed + TimeUnit.MINUTES.toNanos(5);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            int seen = 0;
            while (seen < n) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                    seen++;
                }
                for (var process : processes.entrySet()) {
                    if (!process.getValue().isAlive()) {
                        throw new IllegalStateException(process.getKey() + " has stopped (see its log in /tmp)");
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            side.out() + " received " + seen + " of " + n + " records within 5 minutes");
                }
            }
            long done = System.nanoTime();
            seen += c.poll(Duration.ofMillis(300)).count(); // nothing more may come
            if (seen != n) {
                throw new IllegalStateException(
                        side.out() + " received " + seen + " records in the round, expected " + n);
            }
            System.out.printf(
                    Locale.ROOT,
                    "  %s: %d records, append span %d ms, all readable %d ms after the input's commit%n",
                    side.name(),
                    n,
                    last - first,
                    TimeUnit.NANOSECONDS.toMillis(done - committed));
            return (n - 1) * 1000.0 / Math.max(1, last - first);
        }
    }

    /**
     * The plain copy side: read committed records of {@code from}, write them to {@code to}, until killed. The next
     * batch is polled while up to {@value #BATCHES_IN_FLIGHT} earlier ones are being stored, and a batch's offsets are
     * committed once all its records are stored.
     */
    static void copy(String bootstrap, String from, String to) throws Exception {
        AtomicReference<Exception> failed = new AtomicReference<>();
        Properties p = consumerSettings(bootstrap);
        p.put("group.id", "bench-copy");
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

    /**
     * The transactional copy side, the loop of Kafka Streams under exactly_once_v2 without the processing: read
     * committed records of {@code from}, write them to {@code to} in a transaction that is opened by the first record
     * and, once {@code commitMs} have passed since it was opened, committed with the consumed offsets
     * ({@code sendOffsetsToTransaction} with the consumer's group metadata); polls of 100 ms (Kafka Streams' poll.ms)
     * while nothing comes.
     */
    static void copyEos(String bootstrap, String from, String to, long commitMs) {
        Properties c = consumerSettings(bootstrap);
        c.put("group.id", "bench-copy-eos");
        Properties p = producerSettings(bootstrap);
        p.put("transactional.id", "bench-copy-eos");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(from));
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            long opened = 0;
            boolean open = false;
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (!open) {
                        producer.beginTransaction();
                        open = true;
                        opened = System.nanoTime();
                    }
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    producer.send(new ProducerRecord<>(to, r.partition(), r.key(), r.value(), r.headers()));
                }
                if (open && System.nanoTime() - opened >= TimeUnit.MILLISECONDS.toNanos(commitMs)) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction(); // flushes the sends; throws if one failed
                    offsets.clear();
                    open = false;
                }
            }
        }
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
        p.put("isolation.level", "read_committed"); // the exactly-once sides' transactions: committed records only
        p.put("max.poll.records", "1000"); // Kafka Streams' default for its consumer
        return p;
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
