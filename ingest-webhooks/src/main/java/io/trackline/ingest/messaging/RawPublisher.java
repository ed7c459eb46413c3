package io.trackline.ingest.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.trackline.events.RawEnvelope;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/** Publishes raw envelopes to {@code trackline.raw.v1}; the returned Uni completes when Kafka acknowledged the record. */
@ApplicationScoped
public class RawPublisher {

    public static final String CHANNEL = "raw-out";

    private final MutinyEmitter<RawEnvelope> emitter;

    public RawPublisher(@Channel(CHANNEL) MutinyEmitter<RawEnvelope> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(RawEnvelope envelope) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(envelope)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(envelope.key()).build())));
    }
}
