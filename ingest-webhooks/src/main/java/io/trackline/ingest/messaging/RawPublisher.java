package io.trackline.ingest.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.trackline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Publishes raw envelopes ({@code io.trackline.events.RawEnvelopes#encode}) to {@code trackline.raw.v1} with one
 * Kafka producer, called on the HTTP event loop; the returned Uni completes when Kafka acknowledged the record.
 *
 * <p>A plain {@link KafkaProducer} rather than a messaging channel: a callback needs nothing of a channel but the
 * acknowledgement, and the channel's per-message machinery (message and metadata objects, a hop to a sending
 * thread and back) was a fifth of the receiver's CPU. {@code send} does not block as long as the topic's metadata
 * is known (fetched at startup) and the producer's buffer has room; when Kafka has been away long enough to fill
 * it, {@code max.block.ms} (250 ms here) bounds the wait and the callback gets 503.
 *
 * <p>Settings: the {@code kafka.*} properties (bootstrap servers, security) and then
 * {@code trackline.kafka.raw-producer.*}, passed to the producer as they are (see application.properties).
 */
@ApplicationScoped
public class RawPublisher {

    static final String PRODUCER_PREFIX = "trackline.kafka.raw-producer.";
    private static final Logger LOG = Logger.getLogger(RawPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public RawPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka, Config config) {
        this.topic = config.getOptionalValue("trackline.kafka.raw-topic", String.class).orElse(Topics.RAW);
        this.producer = new KafkaProducer<>(settings(kafka, config), new StringSerializer(), new ByteArraySerializer());
    }

    static Map<String, Object> settings(Map<String, Object> kafka, Config config) {
        Map<String, Object> settings = new HashMap<>();
        kafka.forEach((name, value) -> {
            if (!name.startsWith("mp.") && !name.contains("serializer")) {
                settings.put(name, value);
            }
        });
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PRODUCER_PREFIX)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> settings.put(name.substring(PRODUCER_PREFIX.length()), value));
            }
        }
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "trackline-ingest-webhooks");
        return settings;
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

    public Uni<Void> publish(String key, byte[] envelope) {
        return Uni.createFrom().emitter(emitter -> {
            try {
                producer.send(new ProducerRecord<>(topic, key, envelope), (metadata, error) -> {
                    if (error == null) {
                        emitter.complete(null);
                    } else {
                        emitter.fail(error);
                    }
                });
            } catch (KafkaException | IllegalStateException e) {
                emitter.fail(e); // buffer full past max.block.ms, or closing: the caller answers 503
            }
        });
    }
}
