package io.trackline.normalizer.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.trackline.kafka.tracing.RecordTracing;
import io.trackline.normalizer.config.NormalizerConfig;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.NormalizerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.Config;

/**
 * The normalizer's Kafka Streams topology: one sub-topology, no repartition topic.
 *
 * <pre>
 * trackline.raw.v1 ──► normalize (NormalizeProcessor) ──► trackline.events.v1   (key shipment id, partition = raw partition)
 *                            │   ▲                    └─► trackline.raw.dlq.v1  (raw key and bytes, dead-letter-* headers)
 *                            ▼   │
 *                     store "shipments" (RocksDB, key shipment id) ◄─► &lt;application.id&gt;-shipments-changelog
 * </pre>
 *
 * Sources and sinks are bytes: nothing can fail to deserialize; the processor reads each record itself and parks what
 * it cannot use. What still escapes it reaches {@link RecordFailureHandler}, Kafka Streams' exception handlers.
 * Internal topics: the store's changelog only ({@code <application.id>-shipments-changelog}, compacted); no
 * repartition topic, since the raw key already is the shipment id and nothing is re-keyed.
 */
@ApplicationScoped
public class NormalizerTopology {

    private final NormalizerConfig config;
    private final Normalizer normalizer;
    private final NormalizerMetrics metrics;
    private final RenormalizeProgress progress;
    private final RecordTracing tracing;

    public NormalizerTopology(
            NormalizerConfig config,
            Normalizer normalizer,
            NormalizerMetrics metrics,
            RenormalizeProgress progress,
            OpenTelemetry openTelemetry,
            Config settings) {
        this.tracing = RecordTracing.of(openTelemetry, settings, "io.trackline.normalizer");
        this.config = config;
        this.normalizer = normalizer;
        this.metrics = metrics;
        this.progress = progress;
    }

    /** The topology the service runs: quarkus-kafka-streams builds and starts its {@code KafkaStreams} from it. */
    @Produces
    @Singleton
    public Topology topology() {
        return topology(config, normalizer, metrics, progress, tracing);
    }

    public static final String STORE = "shipments";
    static final String SOURCE = "raw";
    static final String PROCESSOR = "normalize";
    static final String EVENTS_SINK = "events";
    static final String DEAD_LETTER_SINK = "dead-letters";

    /**
     * Records keep their timestamp; one without a valid one (negative) takes the partition's time, or 0, rather than
     * failing the task as Kafka Streams' default extractor would.
     */
    static final TimestampExtractor TIMESTAMPS =
            (record, partitionTime) -> record.timestamp() >= 0 ? record.timestamp() : Math.max(0, partitionTime);

    /** Margin of the re-normalization start: records before the instant are skipped by the processor. */
    static final Duration RENORMALIZE_MARGIN = Duration.ofMinutes(1);

    static Topology topology(
            NormalizerConfig config, Normalizer normalizer, NormalizerMetrics metrics, RenormalizeProgress progress) {
        return topology(config, normalizer, metrics, progress, RecordTracing.off());
    }

    static Topology topology(
            NormalizerConfig config,
            Normalizer normalizer,
            NormalizerMetrics metrics,
            RenormalizeProgress progress,
            RecordTracing tracing) {
        NormalizeProcessor.Settings settings = new NormalizeProcessor.Settings(
                config.store().maxFactsPerShipment(),
                config.store().finalRetention(),
                config.store().sweepInterval(),
                config.renormalize().from(),
                config.eventsTopic(),
                config.maxEventSize());
        AutoOffsetReset reset = config.renormalize()
                .from()
                .map(from -> AutoOffsetReset.byDuration(
                        Duration.between(from, Instant.now()).plus(RENORMALIZE_MARGIN)))
                .orElse(AutoOffsetReset.earliest());
        return build(
                config.rawTopic(),
                config.eventsTopic(),
                config.deadLetterTopic(),
                reset,
                () -> new NormalizeProcessor(normalizer, metrics, settings, progress, EventsTopicSeed.KAFKA, tracing));
    }

    static Topology build(
            String rawTopic,
            String eventsTopic,
            String deadLetterTopic,
            AutoOffsetReset reset,
            Supplier<NormalizeProcessor> processor) {
        Topology topology = new Topology();
        topology.addSource(
                reset, SOURCE, TIMESTAMPS, new ByteArrayDeserializer(), new ByteArrayDeserializer(), rawTopic);
        topology.addProcessor(PROCESSOR, processor::get, SOURCE);
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.String(), new ShipmentMemorySerde()),
                PROCESSOR);
        topology.addSink(
                EVENTS_SINK,
                eventsTopic,
                new ByteArraySerializer(),
                Outbound.SERIALIZER,
                Outbound.PARTITIONER,
                PROCESSOR);
        topology.addSink(
                DEAD_LETTER_SINK,
                deadLetterTopic,
                new ByteArraySerializer(),
                Outbound.SERIALIZER,
                Outbound.PARTITIONER,
                PROCESSOR);
        return topology;
    }
}
