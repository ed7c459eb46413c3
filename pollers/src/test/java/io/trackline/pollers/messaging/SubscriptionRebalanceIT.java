package io.trackline.pollers.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import io.trackline.kafka.KafkaClients;
import io.trackline.testsupport.TestInfra;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5, the ownership half: two members of one consumer group on a 3-partition compacted topic split its
 * partitions so that every subscription is owned by exactly one of them, and when one leaves the other owns all.
 * Each member is the pollers' own {@link SubscriptionFeed}; what a member owns is what its handler was told:
 * upserted subscriptions of partitions assigned and not revoked since.
 */
class SubscriptionRebalanceIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final int SUBSCRIPTIONS = 90;

    final List<Thread> threads = new ArrayList<>();
    final List<SubscriptionFeed> feeds = new ArrayList<>();

    /** What one member owns now, from its handler's calls alone; and any partition two members held at once. */
    static final class Member implements SubscriptionFeed.Handler {
        final String name;
        final Map<Integer, Set<String>> owned = new ConcurrentHashMap<>();
        final Set<Integer> caughtUp = ConcurrentHashMap.newKeySet();
        final List<String> overlaps;
        final Map<Integer, String> owners;

        Member(String name, Map<Integer, String> owners, List<String> overlaps) {
            this.name = name;
            this.owners = owners;
            this.overlaps = overlaps;
        }

        @Override
        public void assigned(int partition) {
            String other = owners.putIfAbsent(partition, name);
            if (other != null) {
                overlaps.add("partition " + partition + " assigned to " + name + " while " + other + " held it");
            }
            owned.put(partition, ConcurrentHashMap.newKeySet());
        }

        @Override
        public void upserted(int partition, long offset, Subscription subscription) {
            owned.get(partition).add(subscription.shipmentId());
        }

        @Override
        public void removed(int partition, long offset, String shipmentId) {
            owned.get(partition).remove(shipmentId);
        }

        @Override
        public void caughtUp(int partition) {
            caughtUp.add(partition);
        }

        @Override
        public void revoked(int partition) {
            owners.remove(partition, name);
            owned.remove(partition);
            caughtUp.remove(partition);
        }

        /** The subscriptions of the partitions this member owns and has read to the end. */
        Set<String> subscriptions() {
            Set<String> all = new HashSet<>();
            owned.forEach((partition, ids) -> {
                if (caughtUp.contains(partition)) {
                    all.addAll(ids);
                }
            });
            return all;
        }
    }

    Member start(String name, String topic, String group, Map<Integer, String> owners, List<String> overlaps) {
        Member member = new Member(name, owners, overlaps);
        KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestInfra.kafka().bootstrapServers()),
                Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG, group,
                        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500"),
                "rebalance-" + name,
                new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        SubscriptionFeed feed = new SubscriptionFeed(consumer, topic, member, reason -> {});
        Thread thread = new Thread(feed, "feed-" + name);
        thread.start();
        feeds.add(feed);
        threads.add(thread);
        return member;
    }

    @AfterEach
    void stopFeeds() throws InterruptedException {
        feeds.forEach(SubscriptionFeed::close);
        for (Thread thread : threads) {
            thread.join(15_000);
        }
    }

    @Test
    void twoMembersSplitThePartitionsAndOneTakesAllWhenTheOtherLeaves() throws Exception {
        String topic = "trackline.subscriptions.rebalance-" + UUID.randomUUID();
        String group = "rebalance-" + UUID.randomUUID();
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", TestInfra.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all()
                    .get();
        }
        Set<String> all = new HashSet<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestInfra.kafka().bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                Subscription s = new Subscription(
                        Carrier.EXPRESS247, "demo", "REB-" + i + "-X", null, OffsetDateTime.parse("2026-12-01T00:00Z"));
                producer.send(new ProducerRecord<>(topic, s.shipmentId(), SubscriptionsTopic.json(s)));
                all.add(s.shipmentId());
            }
            // one more that ends: no member may own it
            Subscription ended = new Subscription(
                    Carrier.EXPRESS247, "demo", "REB-ENDED", null, OffsetDateTime.parse("2026-12-01T00:00Z"));
            producer.send(new ProducerRecord<>(topic, ended.shipmentId(), SubscriptionsTopic.json(ended)));
            producer.send(new ProducerRecord<>(topic, ended.shipmentId(), null));
            producer.flush();
        }

        Map<Integer, String> owners = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        Member a = start("a", topic, group, owners, overlaps);
        await().atMost(WAIT).untilAsserted(() -> assertThat(a.subscriptions()).isEqualTo(all));
        assertThat(a.owned.keySet()).containsExactlyInAnyOrder(0, 1, 2);

        Member b = start("b", topic, group, owners, overlaps);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(b.owned).isNotEmpty();
            assertThat(a.owned).isNotEmpty();
            Set<Integer> partitions = new HashSet<>(a.owned.keySet());
            partitions.addAll(b.owned.keySet());
            assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(a.caughtUp).isEqualTo(a.owned.keySet());
            assertThat(b.caughtUp).isEqualTo(b.owned.keySet());
            Set<String> both = new HashSet<>(a.subscriptions());
            both.retainAll(b.subscriptions());
            assertThat(both).as("owned by both").isEmpty();
            Set<String> either = new HashSet<>(a.subscriptions());
            either.addAll(b.subscriptions());
            assertThat(either).as("owned by one of them").isEqualTo(all);
        });
        assertThat(overlaps).isEmpty();

        Map<Integer, Set<String>> ofB = new HashMap<>(b.owned);
        feeds.get(1).close(); // b leaves the group: its partitions are revoked, then assigned to a
        threads.get(1).join(15_000);
        assertThat(b.owned).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(a.owned.keySet()).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(a.subscriptions()).isEqualTo(all);
        });
        assertThat(ofB).isNotEmpty();
        assertThat(overlaps).isEmpty();
    }
}
