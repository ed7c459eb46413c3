package io.trackline.normalizer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.TracklineJson;
import io.trackline.kafka.KafkaClients;
import io.trackline.normalizer.config.NormalizerConfig;
import io.trackline.normalizer.service.NormalizerMetrics;
import io.trackline.normalizer.service.SeenEvents;
import io.trackline.normalizer.service.SeenEvents.PartitionState;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Rebalance listener of {@code raw-in}. On assignment of raw partitions, before any of their records is processed
 * (the listener runs on the consumer's polling thread, inside {@code poll}), it reads the same partitions of the
 * events topic from the beginning to their current end and rebuilds {@link SeenEvents} from them. On revocation it
 * waits for in-flight writes, then forgets the partitions. In a re-normalization run it also positions partitions
 * without a committed offset at the configured instant. Either way it tells {@link RawConsumerProgress} which
 * partitions this instance owns.
 */
@ApplicationScoped
@Identifier(DedupeRebuilder.NAME)
public class DedupeRebuilder implements KafkaConsumerRebalanceListener {

    public static final String NAME = "trackline-normalizer-rebalance";
    static final String CE_ID = "ce_id";

    private final SeenEvents seen;
    private final InFlight inFlight;
    private final RenormalizeProgress progress;
    private final NormalizerMetrics metrics;
    private final NormalizerConfig config;
    private final Map<String, Object> kafka;
    private final RawConsumerProgress consumerProgress;

    public DedupeRebuilder(
            SeenEvents seen,
            InFlight inFlight,
            RenormalizeProgress progress,
            NormalizerMetrics metrics,
            NormalizerConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            RawConsumerProgress consumerProgress) {
        this.seen = seen;
        this.inFlight = inFlight;
        this.progress = progress;
        this.metrics = metrics;
        this.config = config;
        this.kafka = kafka;
        this.consumerProgress = consumerProgress;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Set<Integer> numbers =
                partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        long start = System.nanoTime();
        Map<Integer, PartitionState> states = rebuild(numbers);
        states.forEach(seen::replace);
        int events = states.values().stream().mapToInt(PartitionState::size).sum();
        metrics.rebuilt(events);
        Log.infof(
                "dedupe state of partitions %s rebuilt from %s: %d events in %d ms",
                numbers, config.eventsTopic(), events, (System.nanoTime() - start) / 1_000_000);
        if (progress.active()) {
            positionForRenormalization(consumer, partitions);
        }
        consumerProgress.assigned(consumer, partitions);
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!inFlight.awaitIdle(Duration.ofSeconds(30))) {
            Log.warn("writes still in flight at revocation; the next owner may publish some of them again");
        }
        partitions.forEach(tp -> seen.drop(tp.partition()));
        consumerProgress.revoked(partitions);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> seen.drop(tp.partition()));
        consumerProgress.revoked(partitions);
    }

    /** Reads the given partitions of the events topic up to their end offsets at the time of the call. */
    Map<Integer, PartitionState> rebuild(Set<Integer> partitions) {
        Map<Integer, PartitionState> states = new HashMap<>();
        partitions.forEach(p -> states.put(p, new PartitionState()));
        String topic = config.eventsTopic();
        List<TopicPartition> tps =
                partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
        try (KafkaConsumer<byte[], byte[]> reader = reader()) {
            reader.assign(tps);
            reader.seekToBeginning(tps);
            Map<TopicPartition, Long> end = reader.endOffsets(tps);
            long deadline = System.nanoTime() + config.rebuild().timeout().toNanos();
            while (tps.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("rebuilding the dedupe state from " + topic + " timed out");
                }
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        remember(states.get(r.partition()), r);
                    }
                }
            }
        }
        return states;
    }

    private static void remember(PartitionState state, ConsumerRecord<byte[], byte[]> record) {
        Header id = record.headers().lastHeader(CE_ID);
        if (id == null || record.value() == null) {
            return;
        }
        try {
            JsonNode data = TracklineJson.mapper().readTree(record.value());
            state.record(
                    new String(id.value(), StandardCharsets.UTF_8),
                    enumOrNull(CanonicalStatus.class, data.path("status").asText(null)),
                    enumOrNull(CanonicalReason.class, data.path("reason").asText(null)),
                    data.path("shipmentId").asText(null),
                    data.path("rawField").asText(null),
                    data.path("rawCode").asText(null),
                    instantOrNull(data.path("occurredAt").asText(null)));
        } catch (Exception e) {
            Log.warnf(
                    "events record %d@%d is not a canonical event; ignored by the rebuild",
                    record.partition(), record.offset());
        }
    }

    private static Instant instantOrNull(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        try {
            return name == null ? null : Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void positionForRenormalization(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        Map<TopicPartition, Long> at = new HashMap<>();
        long from = config.renormalize().from().orElseThrow().toEpochMilli();
        partitions.stream().filter(tp -> committed.get(tp) == null).forEach(tp -> at.put(tp, from));
        if (!at.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at);
            Map<TopicPartition, Long> ends = consumer.endOffsets(at.keySet());
            at.keySet().forEach(tp -> {
                OffsetAndTimestamp o = offsets.get(tp);
                consumer.seek(tp, o != null ? o.offset() : ends.get(tp));
            });
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<Integer, long[]> targets = new HashMap<>();
        partitions.forEach(tp -> targets.put(tp.partition(), new long[] {consumer.position(tp), ends.get(tp)}));
        progress.targets(targets);
        Log.infof(
                "re-normalization from %s: positions and end offsets %s",
                config.renormalize().from().get(),
                targets.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()[0] + ".." + e.getValue()[1])
                        .toList());
    }

    /**
     * A consumer of its own, outside the group ({@code group.id} left out: it reads by assignment and commits
     * nothing), that sees only committed events.
     */
    private KafkaConsumer<byte[], byte[]> reader() {
        Map<String, Object> settings = KafkaClients.consumerSettings(
                kafka,
                Map.of(
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                        ConsumerConfig.CLIENT_ID_CONFIG, "trackline-normalizer-dedupe-rebuild"));
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
