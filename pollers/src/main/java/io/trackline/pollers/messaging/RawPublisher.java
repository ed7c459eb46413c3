package io.trackline.pollers.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.events.Topics;
import io.trackline.kafka.KafkaClients;
import io.trackline.kafka.ProducerTimeouts;
import io.trackline.kafka.tracing.RecordTracing;
import io.trackline.pollers.config.SchedulingConfig;
import io.trackline.pollers.service.RawTopic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;

/**
 * Publishes polled answers to {@code trackline.raw.v1} as ingest-webhooks publishes callbacks: CloudEvents in binary
 * mode ({@link RawRecords}: the answer's bytes as the value, the envelope's fields as {@code ce_*} headers, the
 * shipment id as the key), one plain Kafka producer, idempotent, {@code acks=all}, lz4. A stage completes when Kafka
 * stored the record on every in-sync replica, or fails within {@code trackline.pollers.scheduling.publish-timeout}
 * ({@link ProducerTimeouts}: the producer itself reports it), and the scheduler then keeps the previous digest so the
 * answer is published again by a later look-up.
 *
 * <p>Called from the scheduler's tick (a worker thread, never the event loop), so {@code max.block.ms} may be longer
 * than the HTTP receiver's. Settings ({@link KafkaClients}): the {@code kafka.*} ones the producer knows, then
 * {@code trackline.kafka.raw-producer.*}; a name there that is no producer setting stops the service at startup.
 *
 * <p>Tracing ({@link RecordTracing}, docs/tracing.md): when the OpenTelemetry SDK is on, each record is sent in a
 * producer span {@code publish trackline.raw.v1} (a child of the current context, if any) whose context goes in the
 * record's {@code traceparent}/{@code tracestate} headers; off (the default), nothing is added.
 */
@ApplicationScoped
public class RawPublisher implements RawTopic {

    static final String PRODUCER_PREFIX = "trackline.kafka.raw-producer.";

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final RecordTracing tracing;

    public RawPublisher(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config,
            SchedulingConfig scheduling,
            OpenTelemetry openTelemetry) {
        this.tracing = RecordTracing.of(openTelemetry, config, "io.trackline.pollers");
        this.topic = config.getOptionalValue("trackline.kafka.raw-topic", String.class)
                .orElse(Topics.RAW);
        this.producer = KafkaClients.producer(
                kafka,
                ProducerTimeouts.within(
                        KafkaClients.prefixed(config, PRODUCER_PREFIX),
                        scheduling.publishTimeout(),
                        PRODUCER_PREFIX,
                        "trackline.pollers.scheduling.publish-timeout"),
                "trackline-pollers",
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** The topic the answers go to. */
    public String topic() {
        return topic;
    }

    @Override
    public CompletionStage<Void> publish(RawEnvelope envelope) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProducerRecord<String, byte[]> record = RawRecords.record(topic, envelope);
        Span span = tracing.send(record);
        try {
            producer.send(record, (metadata, error) -> {
                RecordTracing.end(span, error);
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(error);
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            RecordTracing.end(span, e);
            done.completeExceptionally(e); // no room in the buffer within max.block.ms, or closing
        }
        return done;
    }

    void close(@Observes ShutdownEvent stop) {
        producer.close(Duration.ofSeconds(5)); // sends what is buffered, waits for the acknowledgements
    }
}
