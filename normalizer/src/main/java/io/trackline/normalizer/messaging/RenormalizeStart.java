package io.trackline.normalizer.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.kafka.KafkaClients;
import io.trackline.normalizer.config.NormalizerConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * In a re-normalization run, before Kafka Streams starts (this observer runs ahead of quarkus-kafka-streams' own):
 * where the run starts on each raw partition (the application id's committed offset, else the first record at or
 * after the instant less {@link NormalizerTopology#RENORMALIZE_MARGIN}, as the source's offset reset finds it) and the
 * end offsets now, for {@link RenormalizeProgress}, which tells when the run has caught up. Nothing in normal
 * operation.
 */
@ApplicationScoped
public class RenormalizeStart {

    private final Map<String, Object> kafka;
    private final NormalizerConfig config;
    private final RenormalizeProgress progress;
    private final String applicationId;

    public RenormalizeStart(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            NormalizerConfig config,
            RenormalizeProgress progress,
            @ConfigProperty(name = "quarkus.kafka-streams.application-id") String applicationId) {
        this.kafka = kafka;
        this.config = config;
        this.progress = progress;
        this.applicationId = applicationId;
    }

    void start(@Observes @Priority(1) StartupEvent start) throws Exception {
        if (!progress.active()) {
            return;
        }
        Instant from = config.renormalize().from().orElseThrow();
        long timeout = 30_000;
        try (Admin admin = KafkaClients.admin(kafka, "trackline-normalizer-renormalize", (int) timeout)) {
            String topic = config.rawTopic();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata()
                    .get(timeout, TimeUnit.MILLISECONDS);
            int count = admin.describeTopics(java.util.List.of(topic))
                    .allTopicNames()
                    .get(timeout, TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> atTime = new HashMap<>();
            long startAt = from.minus(NormalizerTopology.RENORMALIZE_MARGIN).toEpochMilli();
            for (int p = 0; p < count; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                latest.put(tp, OffsetSpec.latest());
                if (committed.get(tp) == null) {
                    atTime.put(tp, OffsetSpec.forTimestamp(startAt));
                }
            }
            Map<TopicPartition, Long> ends = offsets(admin, latest, timeout);
            Map<TopicPartition, Long> starts = offsets(admin, atTime, timeout);
            Map<Integer, long[]> targets = new TreeMap<>();
            for (TopicPartition tp : latest.keySet()) {
                long end = ends.get(tp);
                OffsetAndMetadata c = committed.get(tp);
                long position = c != null ? c.offset() : starts.get(tp) < 0 ? end : starts.get(tp);
                targets.put(tp.partition(), new long[] {position, end});
            }
            progress.targets(targets);
            Log.infof(
                    "re-normalization from %s: positions and end offsets %s",
                    from,
                    targets.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()[0] + ".." + e.getValue()[1])
                            .collect(Collectors.toList()));
        }
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, Map<TopicPartition, OffsetSpec> request, long timeout)
            throws Exception {
        if (request.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResultInfo> answer =
                admin.listOffsets(request).all().get(timeout, TimeUnit.MILLISECONDS);
        return answer.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
