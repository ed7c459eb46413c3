package io.trackline.normalizer.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.events.CanonicalEvent;
import io.trackline.kafka.KafkaClients;
import io.trackline.normalizer.config.NormalizerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Publishes canonical events to {@code trackline.events.v1} as CloudEvents 1.0 in binary mode: the
 * {@link CanonicalEvent} JSON is the value ({@link CanonicalEventJson}), the attributes are {@code ce_*} headers
 * (and {@code content-type}), the key is the shipment id, the partition that of the raw record (co-partitioning, see docs/normalizer.md).
 *
 * <p>A plain {@link KafkaProducer}, called by the processing thread, rather than a messaging channel: the channel's
 * per-message machinery (message and metadata objects, a hop to a sending thread and back per event) cost more
 * than normalizing did. {@code send} does not block while the topic's metadata is known (fetched at startup) and
 * the buffer has room; {@code max.block.ms} bounds the wait when a long Kafka outage filled it.
 *
 * <p>Settings ({@link KafkaClients}): the {@code kafka.*} properties the producer knows, then
 * {@code trackline.kafka.events-producer.*} over them; a name there that is no producer setting stops the service at
 * startup.
 */
@ApplicationScoped
public class EventPublisher {

    static final String PRODUCER_PREFIX = "trackline.kafka.events-producer.";
    static final String SPEC_VERSION = "1.0";
    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final byte[] SPEC = bytes(SPEC_VERSION);
    private static final byte[] SOURCE = bytes(RawEventProcessor.SOURCE.toString());
    private static final byte[] TYPE = bytes(CanonicalEvent.CLOUD_EVENT_TYPE);
    private static final byte[] DATA_SCHEMA = bytes(CanonicalEvent.DATA_SCHEMA);
    private static final byte[] JSON = bytes("application/json");

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public EventPublisher(
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Config config, NormalizerConfig normalizer) {
        this.topic = normalizer.eventsTopic();
        this.producer = KafkaClients.producer(
                kafka,
                KafkaClients.prefixed(config, PRODUCER_PREFIX),
                "trackline-normalizer-events",
                new StringSerializer(),
                new ByteArraySerializer());
    }

    public String topic() {
        return topic;
    }

    void warmUp(@Observes StartupEvent start) {
        try {
            producer.partitionsFor(topic);
        } catch (KafkaException e) {
            LOG.warnf("no metadata of %s at startup (%s); the first events will fetch it", topic, e.toString());
        }
    }

    void close(@Observes ShutdownEvent stop) {
        producer.close(Duration.ofSeconds(10)); // sends what is buffered and waits for the acknowledgements
    }

    /** Sends one event; the future completes when Kafka stored it, or fails. */
    public CompletableFuture<Void> publish(CanonicalEvent event, int partition) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        try {
            byte[] data = CanonicalEventJson.write(event);
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_specversion", SPEC);
            headers.add("ce_id", bytes(event.eventId()));
            headers.add("ce_source", SOURCE);
            headers.add("ce_type", TYPE);
            headers.add("content-type", JSON);
            headers.add("ce_dataschema", DATA_SCHEMA);
            headers.add("ce_subject", bytes(event.shipmentId()));
            headers.add("ce_time", bytes(CanonicalEventJson.time(event.occurredAt())));
            headers.add("ce_" + CanonicalEvent.MAPPING_VERSION_EXTENSION, bytes(event.mappingVersion()));
            producer.send(
                    new ProducerRecord<>(topic, partition, event.shipmentId(), data, headers), (metadata, error) -> {
                        if (error == null) {
                            stored.complete(null);
                        } else {
                            stored.completeExceptionally(error);
                        }
                    });
        } catch (Exception e) {
            stored.completeExceptionally(e); // serialization, a full buffer past max.block.ms, or closing
        }
        return stored;
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
