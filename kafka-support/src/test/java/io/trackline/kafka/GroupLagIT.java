package io.trackline.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.testsupport.TestInfra;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A group's lag in records and in seconds on the real broker: records stamped at known times, offsets committed by
 * the test, the monitor's clock fixed, so every figure is known in advance.
 */
class GroupLagIT {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static Admin admin;
    private static KafkaConsumer<byte[], byte[]> reader;
    private static String bootstrap;

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @BeforeAll
    static void broker() {
        bootstrap = TestInfra.kafka().bootstrapServers();
        admin = KafkaClients.admin(Map.of("bootstrap.servers", bootstrap), "group-lag-it", 5000);
        reader = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterAll
    static void close() {
        reader.close();
        admin.close();
    }

    @Test
    void recordsAreEndMinusCommittedAndSecondsTheAgeOfTheRecordAtTheCommittedOffset() throws Exception {
        String topic = topic(2);
        String group = "group-" + UUID.randomUUID();
        // Partition 0: five records stamped T0, T0+1s, ..., T0+4s; partition 1: one stamped T0+10s.
        produce(topic, 0, 0, 1, 2, 3, 4);
        produce(topic, 1, 10);
        commit(group, topic, 0, 2);
        MovableClock clock = new MovableClock(T0.plusSeconds(100));
        GroupLag lag = new GroupLag(admin, reader, group, Duration.ofSeconds(5), clock);

        GroupLag.Snapshot first = lag.refresh();

        assertThat(first.error()).isNull();
        // Partition 1 was never committed on: counted from the log start, like auto.offset.reset=earliest.
        assertThat(first.partitions())
                .containsExactly(
                        new GroupLag.Partition(topic, 0, 5, 2, 98.0, 0),
                        new GroupLag.Partition(topic, 1, 1, 0, 90.0, 0));
        assertThat(first.records()).isEqualTo(4);

        // 40 s later partition 1 has moved, partition 0 not: stalled for 40 s, its oldest record 40 s older.
        clock.now = clock.now.plusSeconds(40);
        commit(group, topic, 1, 1);
        GroupLag.Snapshot later = lag.refresh();
        assertThat(later.partitions())
                .containsExactly(
                        new GroupLag.Partition(topic, 0, 5, 2, 138.0, 40.0),
                        new GroupLag.Partition(topic, 1, 1, 1, 0.0, 0));

        commit(group, topic, 0, 5);
        GroupLag.Snapshot caughtUp = lag.refresh();
        assertThat(caughtUp.partitions())
                .containsExactly(
                        new GroupLag.Partition(topic, 0, 5, 5, 0.0, 0), new GroupLag.Partition(topic, 1, 1, 1, 0.0, 0));
    }

    @Test
    void aGroupThatHasNotCommittedYetIsMeasuredOnTheTopicsItsMembersAreAssigned() throws Exception {
        String topic = topic(1);
        String group = "group-" + UUID.randomUUID();
        produce(topic, 0, 0, 1, 2);
        try (KafkaConsumer<String, String> member = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        "false",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            member.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                member.poll(Duration.ofMillis(100));
                return !member.assignment().isEmpty();
            });
            GroupLag lag = new GroupLag(
                    admin, reader, group, Duration.ofSeconds(5), Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

            assertThat(lag.refresh().partitions()).containsExactly(new GroupLag.Partition(topic, 0, 3, 0, 60.0, 0));
        }
    }

    @Test
    void theTransactionMarkerAfterTheLastCommittedRecordIsNoLag() throws Exception {
        String topic = topic(1);
        String group = "group-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "tx-" + UUID.randomUUID()),
                new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, T0.toEpochMilli(), "k", "a"));
            producer.send(new ProducerRecord<>(topic, 0, T0.plusSeconds(1).toEpochMilli(), "k", "b"));
            producer.commitTransaction();
        }
        // Records at offsets 0 and 1, the commit marker at 2: a consumer that stored both commits 2.
        commit(group, topic, 0, 2);
        MovableClock clock = new MovableClock(T0.plusSeconds(100));
        GroupLag lag = new GroupLag(admin, reader, group, Duration.ofSeconds(5), clock);

        assertThat(lag.refresh().partitions()).containsExactly(new GroupLag.Partition(topic, 0, 2, 2, 0.0, 0));
        clock.now = clock.now.plusSeconds(120);
        assertThat(lag.refresh().partitions()).containsExactly(new GroupLag.Partition(topic, 0, 2, 2, 0.0, 0));

        // One record behind is still one record behind, and ages.
        commit(group, topic, 0, 1);
        assertThat(lag.refresh().partitions()).containsExactly(new GroupLag.Partition(topic, 0, 3, 1, 219.0, 0));
    }

    @Test
    void aGroupUnknownToTheBrokerHasNoPartitionsAndNoError() {
        GroupLag lag =
                new GroupLag(admin, reader, "nobody-" + UUID.randomUUID(), Duration.ofSeconds(5), Clock.systemUTC());

        GroupLag.Snapshot snapshot = lag.refresh();

        assertThat(snapshot.error()).isNull();
        assertThat(snapshot.partitions()).isEmpty();
    }

    @Test
    void anUnreachableBrokerKeepsTheLastFiguresAndSaysWhy() {
        try (Admin nowhere = KafkaClients.admin(Map.of("bootstrap.servers", "127.0.0.1:1"), "nowhere", 500)) {
            GroupLag lag = new GroupLag(nowhere, reader, "g", Duration.ofMillis(500), Clock.systemUTC());
            GroupLag.Snapshot snapshot = lag.refresh();
            assertThat(snapshot.error()).isNotBlank();
            assertThat(snapshot.partitions()).isEmpty();
        }
    }

    @Test
    void theGaugesCarryGroupTopicAndPartitionAndFollowTheCommits() throws Exception {
        String topic = topic(1);
        String group = "group-" + UUID.randomUUID();
        produce(topic, 0, 0, 1, 2, 3);
        commit(group, topic, 0, 1);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        GroupLagMetrics metrics = new GroupLagMetrics(null, null);
        try {
            metrics.start(
                    Map.of("bootstrap.servers", bootstrap, "group.id", "ignored-by-the-reader"),
                    List.of(group),
                    "trackline.test",
                    Duration.ofMillis(200),
                    Duration.ofSeconds(5),
                    registry,
                    Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC));

            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                assertThat(gauge(registry, "trackline.test.group.lag.records", group, topic))
                        .isEqualTo(3.0);
                assertThat(gauge(registry, "trackline.test.group.lag.seconds", group, topic))
                        .isEqualTo(29.0);
            });
            commit(group, topic, 0, 4);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                assertThat(gauge(registry, "trackline.test.group.lag.records", group, topic))
                        .isZero();
                assertThat(gauge(registry, "trackline.test.group.lag.seconds", group, topic))
                        .isZero();
            });
            // The reader joined no group and committed nothing.
            assertThat(admin.listConsumerGroupOffsets("ignored-by-the-reader")
                            .partitionsToOffsetAndMetadata()
                            .get())
                    .isEmpty();
        } finally {
            metrics.close();
        }
    }

    @Test
    void shortAndIsoDurationsAreRead() {
        assertThat(GroupLagMetrics.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GroupLagMetrics.parse("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(GroupLagMetrics.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(GroupLagMetrics.parse("PT1H")).isEqualTo(Duration.ofHours(1));
    }

    private static double gauge(SimpleMeterRegistry registry, String name, String group, String topic) {
        return registry.get(name)
                .tag("group", group)
                .tag("topic", topic)
                .tag("partition", "0")
                .gauge()
                .value();
    }

    private static String topic(int partitions) throws Exception {
        String topic = "lag-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get();
        return topic;
    }

    /** One record per second offset from T0, in order, on the partition. */
    private static void produce(String topic, int partition, int... secondsAfterT0) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new StringSerializer())) {
            for (int s : secondsAfterT0) {
                producer.send(new ProducerRecord<>(
                                topic, partition, T0.plusSeconds(s).toEpochMilli(), "k", "v" + s))
                        .get();
            }
        }
    }

    private static void commit(String group, String topic, int partition, long offset) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, group),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
        }
    }
}
