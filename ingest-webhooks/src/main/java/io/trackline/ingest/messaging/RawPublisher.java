package io.trackline.ingest.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Topics;
import io.trackline.ingest.config.WebhookConfig;
import io.trackline.ingest.service.RawTopic;
import io.trackline.kafka.KafkaClients;
import io.trackline.kafka.ProducerTimeouts;
import io.trackline.kafka.tracing.RecordTracing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Publishes raw envelopes to {@code trackline.raw.v1} as CloudEvents in binary mode ({@link RawRecords}: the payload
 * as the value, byte for byte, the envelope's fields as {@code ce_*} headers, the shipment id as the key) with one
 * Kafka producer, called on the HTTP event loop; the returned Uni completes when Kafka acknowledged the record.
 *
 * <p>A plain {@link KafkaProducer} rather than a messaging channel: a callback needs nothing of a channel but the
 * acknowledgement, and the channel's per-message machinery (message and metadata objects, a hop to a sending
 * thread and back) was a fifth of the receiver's CPU. {@code send} does not block as long as the topic's metadata
 * is known (fetched at startup) and the producer's buffer has room; when Kafka has been away long enough to fill
 * it, {@code max.block.ms} (250 ms here) bounds the wait and the callback gets 503.
 *
 * <p>The wait for the acknowledgement is bounded by the producer itself: {@code delivery.timeout.ms} is
 * {@code trackline.webhooks.publish-timeout} less {@code max.block.ms} ({@link #timeouts}), so the producer reports a
 * record it could not store within the publish timeout as failed (503), and gives it up then rather than writing it
 * after the caller heard 503. No timer is set per callback.
 *
 * <p>Settings ({@link KafkaClients}): the {@code kafka.*} properties the producer knows (bootstrap servers, security),
 * then {@code trackline.kafka.raw-producer.*} over them (see application.properties); a name there that is no
 * producer setting stops the service at startup.
 *
 * <p>Tracing ({@link RecordTracing}, docs/tracing.md): when the OpenTelemetry SDK is on, each record is sent in a
 * producer span {@code publish trackline.raw.v1}, a child of the callback's HTTP request span, whose context goes in
 * the record's {@code traceparent}/{@code tracestate} headers for the normalizer; the span ends with the broker's
 * acknowledgement. Off (the default), nothing is added.
 */
@ApplicationScoped
public class RawPublisher implements RawTopic {

    static final String PRODUCER_PREFIX = "trackline.kafka.raw-producer.";
    private static final Logger LOG = Logger.getLogger(RawPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final RecordTracing tracing;

    public RawPublisher(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config,
            WebhookConfig webhooks,
            OpenTelemetry openTelemetry) {
        this.tracing = RecordTracing.of(openTelemetry, config, "io.trackline.ingest");
        this.topic = config.getOptionalValue("trackline.kafka.raw-topic", String.class)
                .orElse(Topics.RAW);
        this.producer = KafkaClients.producer(
                kafka,
                timeouts(KafkaClients.prefixed(config, PRODUCER_PREFIX), webhooks.publishTimeout()),
                "trackline-ingest-webhooks",
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /**
     * The producer's settings with its timeouts derived from the publish timeout ({@link ProducerTimeouts}):
     * {@code delivery.timeout.ms} is the publish timeout less {@code max.block.ms}, {@code request.timeout.ms} at most
     * what is left of it after {@code linger.ms}.
     *
     * @throws IllegalArgumentException if the settings name {@code delivery.timeout.ms} (set the publish timeout), or
     *                                  the publish timeout leaves no time after {@code max.block.ms} and
     *                                  {@code linger.ms}
     */
    static Map<String, String> timeouts(Map<String, String> own, Duration publishTimeout) {
        return ProducerTimeouts.within(own, publishTimeout, PRODUCER_PREFIX, "trackline.webhooks.publish-timeout");
    }

    /** The topic the envelopes go to. */
    public String topic() {
        return topic;
    }

    void warmUp(@Observes StartupEvent start) {
        try {
            producer.partitionsFor(topic); // metadata now, so the first callback's send does not wait for it
        } catch (KafkaException e) {
            LOG.warnf("no metadata of %s at startup (%s); the first callbacks will fetch it", topic, e.toString());
        }
    }

    void close(@Observes ShutdownEvent stop) {
        producer.close(Duration.ofSeconds(5)); // sends what is buffered, waits for the acknowledgements
    }

    @Override
    public Uni<Void> publish(RawEnvelope envelope) {
        return Uni.createFrom().emitter(emitter -> {
            ProducerRecord<String, byte[]> record = RawRecords.record(topic, envelope);
            Span span = tracing.send(record);
            try {
                producer.send(record, (metadata, error) -> {
                    RecordTracing.end(span, error);
                    if (error == null) {
                        emitter.complete(null);
                    } else {
                        emitter.fail(error);
                    }
                });
            } catch (KafkaException | IllegalStateException e) {
                RecordTracing.end(span, e);
                emitter.fail(e); // buffer full past max.block.ms, or closing: the caller answers 503
            }
        });
    }
}
