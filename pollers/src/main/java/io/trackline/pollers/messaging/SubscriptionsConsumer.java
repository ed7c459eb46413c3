package io.trackline.pollers.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.events.Subscription;
import io.trackline.kafka.AssignedPartitions;
import io.trackline.kafka.KafkaClients;
import io.trackline.pollers.config.SubscriptionsConfig;
import io.trackline.pollers.service.SubscriptionListener;
import io.trackline.pollers.service.SubscriptionService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * This instance's share of the subscriptions: a member of the consumer group {@code trackline-pollers} on
 * {@code trackline.subscriptions.v1} ({@link SubscriptionFeed}, on a thread of its own), settings
 * {@code trackline.kafka.subscriptions-consumer.*} over {@code kafka.*}. What it reads it mirrors into PostgreSQL
 * (through {@link SubscriptionService}) and tells every {@link SubscriptionListener} bean (the scheduler), in order;
 * without any listener the service still runs and keeps the rows.
 */
@ApplicationScoped
public class SubscriptionsConsumer {

    public static final String CONSUMER_PREFIX = "trackline.kafka.subscriptions-consumer.";
    static final List<String> SKIP_REASONS = List.of("no_key", "unreadable", "key_mismatch");

    private static final Logger LOG = Logger.getLogger(SubscriptionsConsumer.class);

    private final Map<String, Object> kafka;
    private final Config config;
    private final SubscriptionsConfig subscriptions;
    private final SubscriptionService service;
    private final Instance<SubscriptionListener> listeners;
    private final AssignedPartitions assigned;
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Counter rowFailures;
    private SubscriptionFeed feed;
    private Thread thread;

    public SubscriptionsConsumer(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config,
            SubscriptionsConfig subscriptions,
            SubscriptionService service,
            Instance<SubscriptionListener> listeners,
            MeterRegistry registry) {
        this.kafka = kafka;
        this.config = config;
        this.subscriptions = subscriptions;
        this.service = service;
        this.listeners = listeners;
        this.assigned = new AssignedPartitions(subscriptions.topic());
        for (String reason : SKIP_REASONS) {
            skipped.put(
                    reason,
                    Counter.builder("trackline.pollers.subscriptions.skipped")
                            .description("Records of the subscriptions topic that are no subscription, skipped")
                            .tag("reason", reason)
                            .register(registry));
        }
        this.rowFailures = Counter.builder("trackline.pollers.subscriptions.row.failures")
                .description("Subscription records whose PostgreSQL row could not be written (the API's own "
                        + "writes and the next assignment write it again)")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!subscriptions.consume()) {
            LOG.info("the subscriptions consumer is off (trackline.pollers.subscriptions.consume=false)");
            return;
        }
        KafkaConsumer<String, byte[]> consumer = KafkaClients.consumer(
                kafka,
                KafkaClients.prefixed(config, CONSUMER_PREFIX),
                "trackline-pollers-subscriptions",
                new StringDeserializer(),
                new ByteArrayDeserializer());
        feed = new SubscriptionFeed(consumer, subscriptions.topic(), new Handler(), this::skipped);
        thread = new Thread(feed, "trackline-subscriptions-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (feed != null) {
            feed.close();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The partitions of the subscriptions topic this instance owns now. */
    public AssignedPartitions assigned() {
        return assigned;
    }

    private void skipped(String reason) {
        skipped.get(reason).increment();
    }

    private void each(Consumer<SubscriptionListener> call) {
        for (SubscriptionListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.errorf(
                        e,
                        "the subscription listener %s failed",
                        listener.getClass().getName());
            }
        }
    }

    private final class Handler implements SubscriptionFeed.Handler {

        @Override
        public void assigned(int partition) {
            assigned.assigned(List.of(new org.apache.kafka.common.TopicPartition(subscriptions.topic(), partition)));
            each(l -> l.assigned(partition));
        }

        @Override
        public void upserted(int partition, long offset, Subscription subscription) {
            try {
                service.stored(partition, offset, subscription);
            } catch (RuntimeException e) {
                rowFailures.increment();
                LOG.warnf(
                        "the row of the subscription at partition %d offset %d was not written: %s",
                        partition, offset, e.getMessage());
            }
            each(l -> l.upserted(partition, subscription));
        }

        @Override
        public void removed(int partition, long offset, String shipmentId) {
            try {
                service.endedOnTopic(partition, offset, shipmentId);
            } catch (RuntimeException e) {
                rowFailures.increment();
                LOG.warnf(
                        "the end of the subscription at partition %d offset %d was not written: %s",
                        partition, offset, e.getMessage());
            }
            each(l -> l.removed(partition, shipmentId));
        }

        @Override
        public void caughtUp(int partition) {
            each(l -> l.caughtUp(partition));
        }

        @Override
        public void revoked(int partition) {
            assigned.revoked(List.of(new org.apache.kafka.common.TopicPartition(subscriptions.topic(), partition)));
            each(l -> l.revoked(partition));
        }
    }
}
