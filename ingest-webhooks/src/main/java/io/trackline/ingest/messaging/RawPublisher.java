package io.trackline.ingest.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes raw envelopes ({@code io.trackline.events.RawEnvelopes#encode}) to {@code trackline.raw.v1}; the returned
 * Uni completes when Kafka acknowledged the record.
 */
@ApplicationScoped
public class RawPublisher {

    public static final String CHANNEL = "raw-out";

    private final MutinyEmitter<byte[]> emitter;

    public RawPublisher(@Channel(CHANNEL) MutinyEmitter<byte[]> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(String key, byte[] envelope) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(envelope)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())));
    }
}
