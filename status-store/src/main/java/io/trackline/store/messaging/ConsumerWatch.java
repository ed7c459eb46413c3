package io.trackline.store.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.kafka.AssignedPartitions;
import io.trackline.kafka.ConsumerProgress;
import io.trackline.kafka.GroupOffsets;
import io.trackline.kafka.KafkaClients;
import io.trackline.store.config.StoreConsumerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.eclipse.microprofile.config.Config;

/**
 * How far status-store's consumer group is on {@code trackline.events.v1}, as the broker sees it, for the partitions
 * this instance owns ({@link AssignedPartitions}, kept by {@link EventsRebalanceListener}):
 * {@value #LAG}{topic, partition} = end offset minus committed offset (records waiting, whatever this consumer has
 * fetched), and {@value #STUCK}{topic} = owned partitions with records waiting and no commit for
 * {@code trackline.store.consumer.stuck-after}. {@link ConsumerStuckCheck} turns readiness DOWN on the latter.
 * Refreshed every {@code trackline.store.consumer.progress-interval} on a daemon thread with an admin client.
 */
@ApplicationScoped
public class ConsumerWatch {

    public static final String LAG = "trackline.store.consumer.lag";
    public static final String STUCK = "trackline.store.consumer.stuck";

    private final AssignedPartitions assigned;
    private final ConsumerProgress progress;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final MeterRegistry registry;
    private final Duration interval;

    public ConsumerWatch(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config,
            StoreConsumerConfig settings,
            MeterRegistry registry) {
        String channel = "mp.messaging.incoming." + EventConsumer.EVENTS_IN + ".";
        String topic = config.getValue(channel + "topic", String.class);
        String group = config.getValue(channel + "group.id", String.class);
        this.registry = registry;
        this.interval = settings.progressInterval();
        Duration timeout = settings.progressTimeout();
        this.assigned = new AssignedPartitions(topic);
        this.admin = KafkaClients.admin(kafka, "trackline-status-store-progress", (int) timeout.toMillis());
        // tells the transaction markers of a transactional topic from records
        this.reader = GroupOffsets.reader(kafka, "trackline-status-store-progress");
        this.progress =
                new ConsumerProgress(admin, reader, group, topic, settings.stuckAfter(), timeout, Clock.systemUTC());
    }

    void start(@Observes StartupEvent start) {
        progress.bindWhenKnown(registry, LAG, STUCK).start(interval, assigned::now);
    }

    void stop(@Observes ShutdownEvent stop) {
        progress.close();
        reader.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    public AssignedPartitions assigned() {
        return assigned;
    }

    public ConsumerProgress progress() {
        return progress;
    }
}
