package io.trackline.kafka;

import static org.assertj.core.api.Assertions.assertThat;

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
    }

    @AfterAll
    static void close() {
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
                        admin, group, topic, Duration.ofSeconds(30), Duration.ofSeconds(5), clock)
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
                    nowhere, "g", "t", Duration.ofSeconds(30), Duration.ofMillis(500), Clock.systemUTC());
            ConsumerProgress.Snapshot snapshot = progress.refresh(Set.of(0));
            assertThat(snapshot.error()).isNotBlank();
            assertThat(snapshot.partitions()).isEmpty();
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
