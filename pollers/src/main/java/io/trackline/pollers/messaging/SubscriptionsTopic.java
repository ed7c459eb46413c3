package io.trackline.pollers.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.common.annotation.Identifier;
import io.trackline.events.Subscription;
import io.trackline.events.TracklineJson;
import io.trackline.kafka.KafkaClients;
import io.trackline.pollers.config.SubscriptionsConfig;
import io.trackline.pollers.service.SubscriptionLog;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;

/**
 * Writes subscriptions to {@code trackline.subscriptions.v1}: key the shipment id, value the {@link Subscription}
 * JSON ({@link TracklineJson}), a tombstone (null value) to end one. The producer's settings are
 * {@code trackline.kafka.subscriptions-producer.*} over {@code kafka.*} (acks=all, idempotent: a subscription the
 * API answered for is on every in-sync replica, once).
 */
@ApplicationScoped
public class SubscriptionsTopic implements SubscriptionLog {

    public static final String PRODUCER_PREFIX = "trackline.kafka.subscriptions-producer.";

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public SubscriptionsTopic(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config,
            SubscriptionsConfig subscriptions) {
        this.topic = subscriptions.topic();
        this.producer = KafkaClients.producer(
                kafka,
                KafkaClients.prefixed(config, PRODUCER_PREFIX),
                "trackline-pollers-subscriptions",
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** The JSON of a subscription as the topic holds it. */
    public static byte[] json(Subscription subscription) {
        try {
            return TracklineJson.mapper().writeValueAsBytes(subscription);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a subscription could not be written as JSON", e);
        }
    }

    @Override
    public CompletionStage<Position> publish(Subscription subscription) {
        return send(new ProducerRecord<>(topic, subscription.shipmentId(), json(subscription)));
    }

    @Override
    public CompletionStage<Position> end(String shipmentId) {
        return send(new ProducerRecord<>(topic, shipmentId, null));
    }

    private CompletionStage<Position> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Position> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    acknowledged.completeExceptionally(failure);
                } else {
                    acknowledged.complete(new Position(metadata.partition(), metadata.offset()));
                }
            });
        } catch (RuntimeException e) { // metadata not available within max.block.ms, producer closed
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
