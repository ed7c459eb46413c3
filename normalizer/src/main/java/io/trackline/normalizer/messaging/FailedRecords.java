package io.trackline.normalizer.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.trackline.events.RawRecords;
import io.trackline.kafka.DeadLetters;
import io.trackline.kafka.KafkaClients;
import io.trackline.normalizer.DeadLetterCode;
import io.trackline.normalizer.config.NormalizerConfig;
import io.trackline.normalizer.service.NormalizerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The dead letters of {@link RecordFailureHandler}: raw records that failed outside {@link NormalizeProcessor}'s own
 * checks, written to {@code trackline.raw.dlq.v1} with the same headers as the processor's ({@link DeadLetters}'
 * SmallRye names, {@code dead-letter-code}, {@code dead-letter-carrier}) and counted the same way. A producer of its
 * own (idempotent, {@code acks=all}), outside the application's transactions: the handlers run where the transaction
 * cannot take the record, so such a dead letter may be written twice if the task is replayed; the processor's own dead
 * letters, by far the usual ones, are exactly once. A dead letter Kafka refuses for good with its value is written
 * once more without it ({@link DeadLetters#VALUE_OMITTED}).
 */
@ApplicationScoped
public class FailedRecords {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final NormalizerMetrics metrics;

    public FailedRecords(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            NormalizerConfig config,
            NormalizerMetrics metrics) {
        this.topic = config.deadLetterTopic();
        this.metrics = metrics;
        this.producer = KafkaClients.producer(
                kafka,
                Map.of(
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000"),
                "trackline-normalizer-failed-records",
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    void close(@Observes ShutdownEvent stop) {
        producer.close(Duration.ofSeconds(5));
    }

    /** @return true when the dead letter is stored (with or without its value), false when it could not be */
    boolean park(
            String sourceTopic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            Headers original,
            DeadLetterCode code,
            Throwable cause) {
        String carrier = carrier(original, value);
        byte[] bytes = value == null ? new byte[0] : value;
        Headers headers = NormalizeProcessor.deadLetterHeaders(
                original == null ? new RecordHeaders() : new RecordHeaders(original.toArray()),
                sourceTopic,
                partition,
                offset,
                carrier,
                code,
                cause);
        try {
            send(key, bytes, headers);
        } catch (ExecutionException e) {
            if (!RecordFailureHandler.permanent(e.getCause())) {
                Log.errorf(
                        "dead letter of %s-%d@%d not stored (%s): the record is read again",
                        sourceTopic, partition, offset, e.getCause().toString());
                return false;
            }
            Log.errorf(
                    "dead letter of %s-%d@%d stored without its value: %s",
                    sourceTopic, partition, offset, e.getCause().toString());
            DeadLetters.valueOmitted(headers, bytes.length);
            try {
                send(key, new byte[0], headers);
            } catch (Exception again) {
                Log.errorf("dead letter of %s-%d@%d not stored: %s", sourceTopic, partition, offset, again.toString());
                return false;
            }
        } catch (Exception e) {
            Log.errorf("dead letter of %s-%d@%d not stored: %s", sourceTopic, partition, offset, e.toString());
            return false;
        }
        metrics.deadLettered(carrier, code);
        Log.warnf(
                "raw record %s-%d@%d sent to the dead-letter topic as %s: %s",
                sourceTopic, partition, offset, code.code(), NormalizeProcessor.bounded(cause.toString()));
        return true;
    }

    private void send(byte[] key, byte[] value, Headers headers) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get(10, TimeUnit.SECONDS);
    }

    private static String carrier(Headers headers, byte[] value) {
        try {
            return RawRecords.read(headers == null ? new RecordHeaders() : headers, value)
                    .envelope()
                    .carrier()
                    .id();
        } catch (Exception | StackOverflowError e) {
            return NormalizerMetrics.UNKNOWN_CARRIER;
        }
    }
}
