package io.trackline.store.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.trackline.kafka.DeadLetters;
import io.trackline.kafka.KafkaClients;
import io.trackline.store.config.StoreConfig;
import io.trackline.store.config.StoreConsumerConfig;
import io.trackline.store.service.UnstorableEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.Config;

/**
 * Parks records that can never be stored on the dead-letter topic ({@code trackline.events.dlq.v1}): key, value and
 * headers exactly as read, plus the dead-letter headers ({@link DeadLetters}: code, reason, exception, where it was
 * read). {@link #park} completes only when Kafka acknowledged every one ({@code acks=all}); a send that fails is
 * retried with back-off until it succeeds, because a dead letter that is not stored must not be acknowledged.
 *
 * <p>One exception: a record that fits the events topic but no longer does once the dead-letter headers are added
 * ({@link RecordTooLargeException}) is parked without its value and original headers, with
 * {@link DeadLetters#VALUE_OMITTED} giving the value's size; the original stays on the events topic at the offset
 * named in the headers (until retention).
 *
 * <p>A plain {@link KafkaProducer} (settings, {@link KafkaClients}: the {@code kafka.*} properties the producer knows,
 * then {@code trackline.kafka.dlq-producer.*} over them), called on a worker thread: {@code send} may block for
 * metadata.
 */
@ApplicationScoped
public class DeadLetterPublisher {

    static final String PRODUCER_PREFIX = "trackline.kafka.dlq-producer.";

    /** One record to park, as it was read, and why. */
    public record DeadLetter(
            String topic,
            int partition,
            long offset,
            byte[] key,
            byte[] value,
            Iterable<Header> headers,
            UnstorableEventException reason) {}

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final Duration initialBackOff;
    private final Duration maxBackOff;
    private final MeterRegistry registry;
    private final Map<String, Counter> parked = new ConcurrentHashMap<>();
    private final Counter failures;

    public DeadLetterPublisher(
            @Identifier("default-kafka-broker") Map<String, Object> kafka,
            Config config,
            StoreConsumerConfig consumer,
            StoreConfig store,
            MeterRegistry registry) {
        this.topic = consumer.deadLetterTopic();
        this.initialBackOff = store.retry().initialBackOff();
        this.maxBackOff = store.retry().maxBackOff();
        this.registry = registry;
        UnstorableEventException.CODES.forEach(code -> parked.put(code, counter(code))); // every series from the start
        this.failures = Counter.builder("trackline.store.dead_letter.publish.failures")
                .description("Failed sends to " + topic + " (each is retried until Kafka acknowledges it)")
                .register(registry);
        this.producer = KafkaClients.producer(
                kafka,
                KafkaClients.prefixed(config, PRODUCER_PREFIX),
                "trackline-status-store-dlq",
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    void start(@Observes StartupEvent start) {
        // created at startup, not on the first poison record (on the consumer's event loop)
    }

    void close(@Observes ShutdownEvent stop) {
        producer.close(Duration.ofSeconds(10));
    }

    private Counter counter(String code) {
        return Counter.builder("trackline.store.events.dead_lettered")
                .description("Records parked on the dead-letter topic because they can never be stored, by reason")
                .tag("reason", code)
                .register(registry);
    }

    public String topic() {
        return topic;
    }

    /** Parks every letter; completes when Kafka has acknowledged them all. */
    public Uni<Void> park(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<DeadLetter> pending = new ArrayList<>(letters);
        return Uni.createFrom()
                .deferred(() -> sendAll(pending))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure()
                .invoke(f -> {
                    failures.increment();
                    Log.warnf("parking %d records on %s failed, will retry: %s", pending.size(), topic, f.toString());
                })
                .onFailure()
                .retry()
                .withBackOff(initialBackOff, maxBackOff)
                .indefinitely();
    }

    /** Sends what is pending; those Kafka acknowledged leave {@code pending}; fails if any is left. */
    private Uni<Void> sendAll(List<DeadLetter> pending) {
        List<DeadLetter> now;
        synchronized (pending) {
            now = List.copyOf(pending);
        }
        List<CompletableFuture<Void>> acks =
                now.stream().map(this::sendKeepingWhatFits).toList();
        return Uni.createFrom()
                .completionStage(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                        .handle((ok, error) -> null))
                .flatMap(done -> {
                    Throwable failure = null;
                    synchronized (pending) {
                        pending.clear();
                        for (int i = 0; i < now.size(); i++) {
                            DeadLetter letter = now.get(i);
                            try {
                                acks.get(i).get();
                                parked(letter);
                            } catch (ExecutionException | InterruptedException | RuntimeException e) {
                                pending.add(letter);
                                failure = failure != null ? failure : unwrap(e);
                            }
                        }
                    }
                    return failure == null
                            ? Uni.createFrom().voidItem()
                            : Uni.createFrom().failure(failure);
                });
    }

    private void parked(DeadLetter letter) {
        parked.computeIfAbsent(letter.reason().code(), this::counter).increment();
        Log.warnf(
                "parked the record of %s partition %d offset %d on %s: %s (%s)",
                letter.topic(),
                letter.partition(),
                letter.offset(),
                topic,
                letter.reason().code(),
                letter.reason().getMessage());
    }

    private CompletableFuture<Void> sendKeepingWhatFits(DeadLetter letter) {
        return send(letter, true)
                .exceptionallyCompose(e -> unwrap(e) instanceof RecordTooLargeException
                        ? send(letter, false)
                        : CompletableFuture.failedFuture(unwrap(e)));
    }

    private CompletableFuture<Void> send(DeadLetter letter, boolean whole) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            Headers headers = DeadLetters.headers(
                    whole ? letter.headers() : null,
                    letter.topic(),
                    letter.partition(),
                    letter.offset(),
                    letter.reason().code(),
                    letter.reason());
            if (!whole) {
                DeadLetters.valueOmitted(headers, letter.value() == null ? 0 : letter.value().length);
            }
            producer.send(
                    new ProducerRecord<>(topic, null, letter.key(), whole ? letter.value() : null, headers),
                    (metadata, error) -> {
                        if (error == null) {
                            acked.complete(null);
                        } else {
                            acked.completeExceptionally(error);
                        }
                    });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e); // a full buffer past max.block.ms, a closed producer
        }
        return acked;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
