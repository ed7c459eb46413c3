package io.trackline.normalizer.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.kafka.ConsumerProgress;
import io.trackline.kafka.GroupOffsets;
import io.trackline.kafka.KafkaClients;
import io.trackline.normalizer.config.NormalizerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The progress of the application id (the Kafka Streams consumer group) on the raw partitions this instance's tasks
 * own, as the broker sees it ({@link ConsumerProgress}): lag per owned partition (end offset minus committed offset,
 * transaction markers not counted) as {@value #LAG}{topic,partition}, the owned partitions stuck now (records
 * waiting, committed offset unmoved for {@code trackline.normalizer.consumer.stuck-after}) as {@value #STUCK}{topic},
 * and {@link ConsumerProgressCheck} for readiness. The owned partitions are those of the active tasks of this
 * instance's stream threads ({@link KafkaStreams#metadataForLocalThreads()}), read before each refresh.
 */
@ApplicationScoped
public class RawConsumerProgress {

    static final String LAG = "trackline.normalizer.consumer.lag";
    static final String STUCK = "trackline.normalizer.consumer.stuck";

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> reader;
    private final ConsumerProgress progress;
    private final Instance<KafkaStreams> streams;
    private final MeterRegistry registry;
    private final Duration interval;

    public RawConsumerProgress(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId,
            NormalizerConfig normalizer,
            Instance<KafkaStreams> streams,
            MeterRegistry registry) {
        Duration timeout = normalizer.consumer().progressTimeout();
        this.admin = KafkaClients.admin(kafka, "trackline-normalizer-progress", (int) timeout.toMillis());
        this.reader = GroupOffsets.reader(kafka, "trackline-normalizer-progress");
        this.progress = new ConsumerProgress(
                admin,
                reader,
                applicationId,
                normalizer.rawTopic(),
                normalizer.consumer().stuckAfter(),
                timeout,
                Clock.systemUTC());
        this.streams = streams;
        this.registry = registry;
        this.interval = normalizer.consumer().progressInterval();
    }

    void start(@Observes StartupEvent start) {
        progress.bindWhenKnown(registry, LAG, STUCK).start(interval, this::owned);
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

    /** On the progress thread before each refresh: the raw partitions of this instance's active tasks. */
    private Set<Integer> owned() {
        Set<Integer> partitions = new TreeSet<>();
        try {
            for (ThreadMetadata thread : streams.get().metadataForLocalThreads()) {
                thread.activeTasks()
                        .forEach(task -> task.topicPartitions().stream()
                                .filter(tp -> tp.topic().equals(progress.topic()))
                                .forEach(tp -> partitions.add(tp.partition())));
            }
        } catch (RuntimeException e) {
            Log.debugf("tasks of this instance not known (%s)", e.toString());
        }
        return partitions;
    }
}
