package io.trackline.normalizer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.events.Topics;
import io.trackline.kafka.AssignedPartitions;
import io.trackline.kafka.ConsumerProgress;
import io.trackline.kafka.GroupOffsets;
import io.trackline.kafka.KafkaClients;
import io.trackline.normalizer.config.NormalizerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;

/**
 * The progress of this instance's consumer group on the raw topic, as the broker sees it ({@link ConsumerProgress}):
 * lag per owned partition (end offset minus committed offset) as {@value #LAG}{topic,partition}, the owned partitions
 * stuck now (records waiting, committed offset unmoved for {@code trackline.normalizer.consumer.stuck-after}) as
 * {@value #STUCK}{topic}, and {@link ConsumerProgressCheck} for readiness. {@link DedupeRebuilder}, the rebalance
 * listener, says which partitions this instance owns.
 */
@ApplicationScoped
public class RawConsumerProgress {

    static final String LAG = "trackline.normalizer.consumer.lag";
    static final String STUCK = "trackline.normalizer.consumer.stuck";
    static final String CHANNEL = "mp.messaging.incoming." + RawEventProcessor.RAW_IN + ".";

    private final AssignedPartitions assigned;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final ConsumerProgress progress;
    private final MeterRegistry registry;
    private final Duration interval;
    private final AtomicBoolean bound = new AtomicBoolean();

    public RawConsumerProgress(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config,
            NormalizerConfig normalizer,
            MeterRegistry registry) {
        String topic = config.getOptionalValue(CHANNEL + "topic", String.class).orElse(Topics.RAW);
        String group =
                config.getOptionalValue(CHANNEL + "group.id", String.class).orElse("trackline-normalizer");
        this.assigned = new AssignedPartitions(topic);
        this.admin = KafkaClients.admin(kafka, "trackline-normalizer-progress", 5000);
        this.reader = GroupOffsets.reader(kafka, "trackline-normalizer-progress");
        this.progress = new ConsumerProgress(
                admin,
                reader,
                group,
                topic,
                normalizer.consumer().stuckAfter(),
                Duration.ofSeconds(5),
                Clock.systemUTC());
        this.registry = registry;
        this.interval = normalizer.consumer().progressInterval();
    }

    void start(@Observes StartupEvent start) {
        progress.start(interval, assigned::now);
    }

    void stop(@Observes ShutdownEvent stop) {
        progress.close();
        reader.close(Duration.ofSeconds(2));
        admin.close(Duration.ofSeconds(2));
    }

    public ConsumerProgress.Snapshot snapshot() {
        return progress.snapshot();
    }

    public String topic() {
        return progress.topic();
    }

    public String groupId() {
        return progress.groupId();
    }

    public Duration stuckAfter() {
        return progress.stuckAfter();
    }

    /** On the consumer's thread, after an assignment: the gauges are bound once the topic's partition count is known. */
    void assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        assigned.assigned(partitions);
        if (!bound.get()) {
            try {
                int count = consumer.partitionsFor(progress.topic()).size();
                if (bound.compareAndSet(false, true)) {
                    progress.bindTo(registry, LAG, STUCK, count);
                }
            } catch (KafkaException | IllegalStateException e) {
                Log.debugf(
                        "partitions of %s not known yet (%s); lag gauges bound at a later assignment",
                        progress.topic(), e.toString());
            }
        }
    }

    void revoked(Collection<TopicPartition> partitions) {
        assigned.revoked(partitions);
    }
}
