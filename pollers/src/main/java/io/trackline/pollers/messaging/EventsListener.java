package io.trackline.pollers.messaging;

import com.fasterxml.jackson.databind.ObjectReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import io.trackline.kafka.KafkaClients;
import io.trackline.pollers.config.SubscriptionsConfig;
import io.trackline.pollers.service.ShipmentStatusService;
import io.trackline.pollers.service.StorageUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Keeps {@code pollers.shipment_status} from {@code trackline.events.v1}: every shipment's latest canonical status,
 * subscribed or not, so that polling stops at a final status and MrSpeedy orders seen only in callbacks can be
 * reconciled. A member of the consumer group {@code trackline-pollers-events} (every instance shares the table,
 * so the group splits the work), on a thread of its own, settings {@code trackline.kafka.events-consumer.*} over
 * {@code kafka.*}. The record's value is the {@link CanonicalEvent} JSON (CloudEvents binary mode: the
 * {@code ce_*} headers are not needed).
 *
 * <p>The consumer rule: a record that is no usable canonical event, or one PostgreSQL refuses, is logged (position
 * only), counted by reason and skipped; offsets are committed only after a batch is stored. While PostgreSQL is
 * away the partitions are paused (the member stays in its group) and the same batch is tried again with back-off.
 */
@ApplicationScoped
public class EventsListener {

    public static final String CONSUMER_PREFIX = "trackline.kafka.events-consumer.";
    static final List<String> SKIP_REASONS = List.of("unreadable", "incomplete", "rejected_by_database");

    private static final Logger LOG = Logger.getLogger(EventsListener.class);
    private static final ObjectReader READER = TracklineJson.mapper().readerFor(CanonicalEvent.class);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration MAX_BACK_OFF = Duration.ofSeconds(5);

    private final Map<String, Object> kafka;
    private final Config config;
    private final SubscriptionsConfig subscriptions;
    private final ShipmentStatusService statuses;
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Counter recorded;
    private volatile boolean running = true;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public EventsListener(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config,
            SubscriptionsConfig subscriptions,
            ShipmentStatusService statuses,
            MeterRegistry registry) {
        this.kafka = kafka;
        this.config = config;
        this.subscriptions = subscriptions;
        this.statuses = statuses;
        for (String reason : SKIP_REASONS) {
            skipped.put(
                    reason,
                    Counter.builder("trackline.pollers.events.skipped")
                            .description("Records of trackline.events.v1 the pollers could not use, skipped")
                            .tag("reason", reason)
                            .register(registry));
        }
        this.recorded = Counter.builder("trackline.pollers.events.recorded")
                .description("Canonical events applied to the pollers' shipment statuses")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!subscriptions.consume()) {
            return;
        }
        consumer = KafkaClients.consumer(
                kafka,
                KafkaClients.prefixed(config, CONSUMER_PREFIX),
                "trackline-pollers-events",
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        thread = new Thread(this::run, "trackline-events-listener");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A usable event and where it was read. */
    private record Read(ConsumerRecord<byte[], byte[]> record, CanonicalEvent event) {}

    private void run() {
        List<Read> pending = new ArrayList<>(); // read, not yet stored
        Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>(); // after pending is stored
        Duration backOff = Duration.ZERO;
        try {
            consumer.subscribe(List.of(Topics.EVENTS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // their records are read again by the next owner, from the committed offset
                    pending.removeIf(r -> partitions.contains(
                            new TopicPartition(r.record().topic(), r.record().partition())));
                    partitions.forEach(toCommit::remove);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    onPartitionsRevoked(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!pending.isEmpty()) {
                        consumer.pause(partitions); // still waiting for PostgreSQL
                    }
                }
            });
            while (running) {
                try {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(pending.isEmpty() ? POLL : backOff);
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        read(record).ifPresent(event -> pending.add(new Read(record, event)));
                        toCommit.merge(
                                new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1),
                                (a, b) -> a.offset() >= b.offset() ? a : b);
                    }
                    if (toCommit.isEmpty()) {
                        continue;
                    }
                    store(pending); // StorageUnavailableException: kept, paused, tried again
                    pending.clear();
                    consumer.commitSync(toCommit);
                    toCommit.clear();
                    consumer.resume(consumer.paused());
                    backOff = Duration.ZERO;
                } catch (StorageUnavailableException e) {
                    backOff = backOff.isZero() ? Duration.ofMillis(200) : min(backOff.multipliedBy(2), MAX_BACK_OFF);
                    LOG.warnf(
                            "PostgreSQL is not available (%s); %d events wait, trying again in %d ms",
                            e.getMessage(), pending.size(), backOff.toMillis());
                    consumer.pause(consumer.assignment());
                } catch (WakeupException e) {
                    // stop() asked to stop
                } catch (RuntimeException e) {
                    if (!running) {
                        break;
                    }
                    LOG.errorf(e, "the events listener failed; reading again from the committed offsets in a second");
                    pending.clear();
                    toCommit.clear();
                    rewind();
                    sleep(Duration.ofSeconds(1));
                }
            }
        } catch (WakeupException e) {
            // stopped before the loop
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warnf("the events listener's consumer did not close cleanly: %s", e.toString());
            }
        }
    }

    private void rewind() {
        try {
            Set<TopicPartition> assignment = consumer.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
            for (TopicPartition tp : assignment) {
                OffsetAndMetadata at = committed.get(tp);
                if (at != null) {
                    consumer.seek(tp, at);
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            }
            consumer.resume(consumer.paused());
        } catch (RuntimeException e) {
            LOG.warnf("the events listener could not rewind: %s", e.toString());
        }
    }

    /** Stores the events read; those PostgreSQL refuses are skipped and counted. */
    private void store(List<Read> events) {
        if (events.isEmpty()) {
            return;
        }
        ShipmentStatusService.Recorded result =
                statuses.record(events.stream().map(Read::event).toList());
        recorded.increment(result.stored());
        for (int index : result.rejected()) {
            skip(events.get(index).record(), "rejected_by_database", "PostgreSQL refused its values");
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Optional<CanonicalEvent> read(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            skip(record, "unreadable", "it has no value");
            return Optional.empty();
        }
        CanonicalEvent event;
        try {
            event = READER.readValue(record.value());
        } catch (Exception e) {
            skip(
                    record,
                    "unreadable",
                    "its value is no canonical event (" + e.getClass().getSimpleName() + ")");
            return Optional.empty();
        }
        if (event == null) {
            skip(record, "unreadable", "its value is JSON null");
            return Optional.empty();
        }
        if (event.eventId() == null
                || event.shipmentId() == null
                || event.carrier() == null
                || event.account() == null
                || event.reference() == null
                || event.status() == null
                || event.occurredAt() == null) {
            skip(
                    record,
                    "incomplete",
                    "the event lacks one of eventId, shipmentId, carrier, account, reference," + " status, occurredAt");
            return Optional.empty();
        }
        return Optional.of(event);
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String reason, String why) {
        LOG.warnf("skipped the event at %s-%d offset %d: %s", record.topic(), record.partition(), record.offset(), why);
        skipped.get(reason).increment();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
