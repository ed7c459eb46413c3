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
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lag and stuck partitions as the broker sees them, on the real broker, with a clock the test moves. */
class ConsumerProgressIT {

    private static Admin admin;
    private static KafkaConsumer<byte[], byte[]> reader;
    private static String bootstrap;

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

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
        admin = KafkaClients.admin(Map.of("bootstrap.servers", bootstrap), "progress-it", 5000);
        reader = GroupOffsets.reader(Map.of("bootstrap.servers", bootstrap), "progress-it");
    }

    @AfterAll
    static void close() {
        reader.close();
        admin.close();
    }

    @Test
    void lagIsEndMinusCommittedAndAPartitionWithoutCommitsWhileRecordsWaitIsStuck() throws Exception {
        String topic = "progress-" + UUID.randomUUID();
        String group = "group-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "v" + i)).get();
            }
            producer.send(new ProducerRecord<>(topic, 1, "k", "only")).get();
        }
        commit(topic, group, 0, 2);
        MovableClock clock = new MovableClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConsumerProgress progress = new ConsumerProgress(
                        admin, reader, group, topic, Duration.ofSeconds(30), Duration.ofSeconds(5), clock)
                .bindTo(registry, "lag", "stuck", 2);

        ConsumerProgress.Snapshot first = progress.refresh(Set.of(0, 1));
        assertThat(first.partitions())
                .extracting(ConsumerProgress.Partition::lag)
                .containsExactly(3L, 1L);
        assertThat(first.stuck()).isEmpty();
        assertThat(registry.get("lag").tag("partition", "0").gauge().value()).isEqualTo(3.0);

        clock.now = clock.now.plusSeconds(31);
        ConsumerProgress.Snapshot later = progress.refresh(Set.of(0, 1));
        assertThat(later.stuck())
                .extracting(ConsumerProgress.Partition::partition)
                .containsExactly(0, 1);
        assertThat(registry.get("stuck").gauge().value()).isEqualTo(2.0);

        // Progress on partition 0 clears it; partition 1, still waiting, stays stuck.
        commit(topic, group, 0, 5);
        clock.now = clock.now.plusSeconds(1);
        ConsumerProgress.Snapshot moved = progress.refresh(Set.of(0, 1));
        assertThat(moved.partitions())
                .extracting(ConsumerProgress.Partition::lag)
                .containsExactly(0L, 1L);
        assertThat(moved.stuck())
                .extracting(ConsumerProgress.Partition::partition)
                .containsExactly(1);

        // A partition revoked from this instance is no longer reported.
        ConsumerProgress.Snapshot revoked = progress.refresh(Set.of(0));
        assertThat(revoked.partitions())
                .extracting(ConsumerProgress.Partition::partition)
                .containsExactly(0);
        assertThat(revoked.stuck()).isEmpty();
        assertThat(registry.get("lag").tag("partition", "1").gauge().value()).isZero();
    }

    @Test
    void anUnreachableBrokerKeepsTheLastFiguresAndSaysWhy() {
        try (Admin nowhere = KafkaClients.admin(Map.of("bootstrap.servers", "127.0.0.1:1"), "nowhere", 500)) {
            ConsumerProgress progress = new ConsumerProgress(
                    nowhere, reader, "g", "t", Duration.ofSeconds(30), Duration.ofMillis(500), Clock.systemUTC());
            ConsumerProgress.Snapshot snapshot = progress.refresh(Set.of(0));
            assertThat(snapshot.error()).isNotBlank();
            assertThat(snapshot.partitions()).isEmpty();
        }
    }

    @Test
    void transactionMarkersAreNoLagButRecordsHeldBehindAnOpenTransactionWaitAndGetStuck() throws Exception {
        String topic = "progress-tx-" + UUID.randomUUID();
        String group = "group-" + UUID.randomUUID();
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
        Map<String, Object> transactional = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "progress-it-" + UUID.randomUUID());
        MovableClock clock = new MovableClock();
        ConsumerProgress progress =
                new ConsumerProgress(admin, reader, group, topic, Duration.ofSeconds(30), Duration.ofSeconds(5), clock);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(transactional, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "a")).get();
            producer.send(new ProducerRecord<>(topic, 0, "k", "b")).get();
            producer.commitTransaction();
            // read both records: the group commits offset 2, the commit marker lies at 2
            commit(topic, group, 0, 2);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()))
                                    .partitionResult(new TopicPartition(topic, 0))
                                    .get()
                                    .offset()
                            == 3);
            assertThat(progress.refresh(Set.of(0)).partitions())
                    .extracting(ConsumerProgress.Partition::lag)
                    .containsExactly(0L);
            clock.now = clock.now.plusSeconds(31);
            assertThat(progress.refresh(Set.of(0)).stuck())
                    .as("a marker is not a record")
                    .isEmpty();

            // an open transaction upstream holds the group back: its records wait, the committed offset stands still
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, 0, "k", "c")).get();
            producer.send(new ProducerRecord<>(topic, 0, "k", "d")).get();
            producer.flush();
            ConsumerProgress.Snapshot held = progress.refresh(Set.of(0));
            assertThat(held.partitions())
                    .extracting(ConsumerProgress.Partition::lag)
                    .containsExactly(2L);
            assertThat(held.stuck()).isEmpty();
            clock.now = clock.now.plusSeconds(31);
            assertThat(progress.refresh(Set.of(0)).stuck())
                    .extracting(ConsumerProgress.Partition::partition)
                    .containsExactly(0);

            // once it commits and the group reads on, nothing waits
            producer.commitTransaction();
            commit(topic, group, 0, 5);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                clock.now = clock.now.plusSeconds(1);
                ConsumerProgress.Snapshot after = progress.refresh(Set.of(0));
                assertThat(after.partitions())
                        .extracting(ConsumerProgress.Partition::lag)
                        .containsExactly(0L);
                assertThat(after.stuck()).isEmpty();
            });
        }
    }

    private static void commit(String topic, String group, int partition, long offset) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, group),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
        }
    }
}
