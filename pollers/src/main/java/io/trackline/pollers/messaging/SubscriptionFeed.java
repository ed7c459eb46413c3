package io.trackline.pollers.messaging;

import com.fasterxml.jackson.databind.ObjectReader;
import io.trackline.events.Subscription;
import io.trackline.events.TracklineJson;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads the compacted subscriptions topic in a consumer group and tells a {@link Handler} what this member owns:
 * on every assignment the new partitions are read from the beginning (the compacted topic is the whole set of
 * subscriptions), each record becomes an upsert or, for a tombstone, a removal, and once the end offset seen at the
 * assignment is reached the partition is caught up; a revoked or lost partition is revoked. All calls come from
 * the one thread running {@link #run()}, in this order per partition. With the cooperative-sticky assignor a
 * rebalance revokes only the partitions that move, so the others keep being polled throughout.
 *
 * <p>No record stops the feed: a record without a key, a value that is no subscription, or one whose key is not
 * its shipment id is logged (position only) and skipped, counted through {@code unreadable}. A failure of the
 * handler is logged and the feed goes on.
 */
public final class SubscriptionFeed implements Runnable, AutoCloseable {

    /** What the feed reports; {@code offset} is the record's position in its partition. */
    public interface Handler {
        void assigned(int partition);

        void upserted(int partition, long offset, Subscription subscription);

        void removed(int partition, long offset, String shipmentId);

        void caughtUp(int partition);

        void revoked(int partition);
    }

    private static final Logger LOG = Logger.getLogger(SubscriptionFeed.class);
    private static final ObjectReader READER = TracklineJson.mapper().readerFor(Subscription.class);
    private static final Duration POLL = Duration.ofMillis(250);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Handler handler;
    private final Consumer<String> unreadable;
    /** Partitions assigned and not yet caught up: the end offset to reach. */
    private final Map<TopicPartition, Long> catchingUp = new HashMap<>();

    private volatile boolean running = true;

    /**
     * @param consumer   used and closed by this feed, from its thread only
     * @param unreadable told the reason code of every skipped record
     */
    public SubscriptionFeed(
            KafkaConsumer<String, byte[]> consumer, String topic, Handler handler, Consumer<String> unreadable) {
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.unreadable = unreadable;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    for (ConsumerRecord<String, byte[]> record : records) {
                        handle(record);
                    }
                    reportCaughtUp();
                    if (!records.isEmpty()) {
                        // Progress for operators' lag tools only: every assignment reads from the beginning anyway.
                        consumer.commitAsync();
                    }
                } catch (WakeupException e) {
                    // close() asked to stop
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    LOG.errorf(e, "the subscriptions consumer failed a poll; going on in a second");
                    sleep(Duration.ofSeconds(1));
                }
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5)); // revokes its partitions: the handler hears revoked()
            } catch (RuntimeException e) {
                LOG.warnf("the subscriptions consumer did not close cleanly: %s", e.toString());
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        int partition = record.partition();
        String key = record.key();
        if (key == null || key.isBlank()) {
            skip(record, "no_key", "it has no key");
            return;
        }
        if (record.value() == null) {
            safely(() -> handler.removed(partition, record.offset(), key), record);
            return;
        }
        Subscription subscription;
        try {
            subscription = READER.readValue(record.value());
        } catch (Exception e) { // not JSON, not a subscription, a field the record refuses
            skip(
                    record,
                    "unreadable",
                    "its value is no subscription (" + e.getClass().getSimpleName() + ")");
            return;
        }
        if (subscription == null) {
            skip(record, "unreadable", "its value is JSON null");
            return;
        }
        if (!key.equals(subscription.shipmentId())) {
            skip(record, "key_mismatch", "its key is not the subscription's shipment id");
            return;
        }
        safely(() -> handler.upserted(partition, record.offset(), subscription), record);
    }

    private void reportCaughtUp() {
        for (Iterator<Map.Entry<TopicPartition, Long>> it =
                        catchingUp.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<TopicPartition, Long> entry = it.next();
            if (consumer.position(entry.getKey()) >= entry.getValue()) {
                it.remove();
                int partition = entry.getKey().partition();
                safely(() -> handler.caughtUp(partition), null);
            }
        }
    }

    private void skip(ConsumerRecord<String, byte[]> record, String code, String why) {
        LOG.warnf(
                "skipped the record at %s-%d offset %d: %s", record.topic(), record.partition(), record.offset(), why);
        unreadable.accept(code);
    }

    private static void safely(Runnable call, ConsumerRecord<String, byte[]> record) {
        try {
            call.run();
        } catch (RuntimeException e) {
            if (record == null) {
                LOG.errorf(e, "a subscription handler failed");
            } else {
                LOG.errorf(
                        e,
                        "a subscription handler failed on the record at %s-%d offset %d",
                        record.topic(),
                        record.partition(),
                        record.offset());
            }
        }
    }

    /** Stops the feed from any thread; {@link #run()} closes the consumer and returns. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs inside {@code poll()} (and {@code close()}), on the feed's thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                safely(() -> handler.assigned(tp.partition()), null);
                catchingUp.put(tp, ends.getOrDefault(tp, 0L));
            }
            LOG.infof("subscriptions: assigned partitions %s of %s", partitions(partitions), topic);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoke(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoke(partitions);
        }

        private void revoke(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            for (TopicPartition tp : partitions) {
                catchingUp.remove(tp);
                safely(() -> handler.revoked(tp.partition()), null);
            }
            LOG.infof("subscriptions: revoked partitions %s of %s", partitions(partitions), topic);
        }

        private static List<Integer> partitions(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).sorted().toList();
        }
    }
}
