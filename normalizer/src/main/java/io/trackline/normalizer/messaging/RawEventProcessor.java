package io.trackline.normalizer.messaging;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawEnvelopes;
import io.trackline.normalizer.carrier.UnparseableException;
import io.trackline.normalizer.config.NormalizerConfig;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.Normalizer.Normalized;
import io.trackline.normalizer.service.NormalizerMetrics;
import io.trackline.normalizer.service.SeenEvents;
import io.trackline.normalizer.service.SeenEvents.PartitionState;
import io.trackline.normalizer.service.SeenEvents.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Consumes {@code trackline.raw.v1} in batches, publishes each new fact once as a CloudEvent (binary mode) on
 * {@code trackline.events.v1}, keyed by shipment id, on the partition of the raw record it came from, and sends what
 * cannot be parsed to {@code trackline.raw.dlq.v1} with the reason in headers. A batch is acknowledged (and its
 * offsets become committable) only when every event and dead letter it produced is stored, so a crash replays
 * rather than loses; the replay does not duplicate because {@link SeenEvents} is rebuilt from the events topic.
 */
@ApplicationScoped
public class RawEventProcessor {

    public static final String RAW_IN = "raw-in";
    public static final String DLQ_OUT = "dlq-out";
    public static final URI SOURCE = URI.create("/trackline/normalizer");

    /** Header names of the dead-letter topic, the same as SmallRye's dead-letter-queue strategy uses. */
    public static final String DLQ_REASON = "dead-letter-reason";
    public static final String DLQ_CAUSE = "dead-letter-cause";
    public static final String DLQ_TOPIC = "dead-letter-topic";
    public static final String DLQ_PARTITION = "dead-letter-partition";
    public static final String DLQ_OFFSET = "dead-letter-offset";
    public static final String DLQ_CARRIER = "dead-letter-carrier";

    private final Normalizer normalizer;
    private final SeenEvents seen;
    private final NormalizerMetrics metrics;
    private final InFlight inFlight;
    private final RenormalizeProgress progress;
    private final boolean renormalizing;
    private final EventPublisher events;
    private final MutinyEmitter<byte[]> deadLetters;
    private final int maxBatchesInFlight;
    /** Completion of the batches sent but maybe not stored yet, oldest first; touched by the processing thread only. */
    private final Deque<CompletableFuture<Void>> unstored = new ArrayDeque<>();

    public RawEventProcessor(Normalizer normalizer, SeenEvents seen, NormalizerMetrics metrics, InFlight inFlight,
            RenormalizeProgress progress, NormalizerConfig config,
            EventPublisher events,
            @Channel(DLQ_OUT) @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) MutinyEmitter<byte[]> deadLetters) {
        this.normalizer = normalizer;
        this.seen = seen;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.progress = progress;
        this.renormalizing = config.renormalize().from().isPresent();
        this.events = events;
        this.deadLetters = deadLetters;
        this.maxBatchesInFlight = Math.max(1, config.maxBatchesInFlight());
    }

    /**
     * Normalizes one batch and sends its events; returns as soon as they are sent, unless
     * {@link NormalizerConfig#maxBatchesInFlight()} batches are still waiting for Kafka, in which case it returns when
     * the oldest of them is stored. The batch itself is acknowledged (or nacked, which stops the channel) when its
     * writes complete, so offsets never run ahead of what is stored.
     */
    @Incoming(RAW_IN)
    public Uni<Void> process(KafkaRecordBatch<String, byte[]> batch) {
        inFlight.begin();
        List<Uni<Void>> writes = new ArrayList<>();
        try {
            for (KafkaRecord<String, byte[]> record : batch.getRecords()) {
                writes.addAll(process(record));
            }
        } catch (RuntimeException e) {
            inFlight.end();
            return Uni.createFrom().completionStage(batch.nack(e));
        }
        Uni<Void> all = writes.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(writes).andFailFast().replaceWithVoid();
        CompletableFuture<Void> stored = all
                .eventually(() -> {
                    inFlight.end();
                    batch.getRecords().forEach(r -> progress.processed(r.getPartition(), offset(r)));
                })
                .onItem().transformToUni(done -> Uni.createFrom().completionStage(batch.ack()))
                .onFailure().recoverWithUni(e -> Uni.createFrom().completionStage(batch.nack(e)))
                .subscribeAsCompletionStage();
        return window(stored);
    }

    /** Keeps at most {@code maxBatchesInFlight} batches unstored: waits for the oldest when there are more. */
    private Uni<Void> window(CompletableFuture<Void> stored) {
        unstored.addLast(stored);
        while (!unstored.isEmpty() && unstored.peekFirst().isDone()) {
            unstored.removeFirst();
        }
        if (unstored.size() < maxBatchesInFlight) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> oldest = unstored.removeFirst();
        return Uni.createFrom().completionStage(oldest);
    }

    private List<Uni<Void>> process(KafkaRecord<String, byte[]> record) {
        RawEnvelope envelope = null;
        List<Normalized> normalized;
        try {
            RawEnvelopes.Decoded decoded = readEnvelope(record.getPayload());
            envelope = decoded.envelope();
            normalized = normalizer.normalize(envelope, decoded.json());
        } catch (UnparseableException e) {
            String carrier = envelope == null || envelope.carrier() == null ? "unknown" : envelope.carrier().id();
            metrics.deadLettered(carrier, envelope == null ? "envelope" : "payload");
            Log.warnf("raw record %s-%d@%d sent to %s: %s", record.getTopic(), record.getPartition(),
                    offset(record), "the dead-letter topic", e.getMessage());
            return List.of(deadLetter(record, carrier, e));
        }
        metrics.rawConsumed(envelope.carrier().id());
        PartitionState state = seen.partition(record.getPartition());
        List<Uni<Void>> writes = new ArrayList<>(normalized.size());
        for (Normalized n : normalized) {
            CanonicalEvent event = n.event();
            Verdict verdict = state.judge(event, n.state(), renormalizing);
            if (verdict == Verdict.DUPLICATE) {
                metrics.duplicate(event.carrier().id());
                continue;
            }
            state.record(event);
            metrics.emitted(event.carrier().id(), event.status().name());
            writes.add(publish(event, record.getPartition()));
        }
        return writes;
    }

    private Uni<Void> publish(CanonicalEvent event, int partition) {
        // co-partitioned with the raw record: see docs/normalizer.md
        CompletableFuture<Void> stored = events.publish(event, partition);
        return Uni.createFrom().completionStage(stored);
    }

    private Uni<Void> deadLetter(KafkaRecord<String, byte[]> record, String carrier, Exception cause) {
        RecordHeaders headers = new RecordHeaders();
        record.getHeaders().forEach(headers::add);
        headers.add(DLQ_REASON, bytes(cause.getMessage()));
        headers.add(DLQ_CAUSE, bytes(cause.getClass().getSimpleName()));
        headers.add(DLQ_TOPIC, bytes(record.getTopic()));
        headers.add(DLQ_PARTITION, bytes(Integer.toString(record.getPartition())));
        headers.add(DLQ_OFFSET, bytes(Long.toString(offset(record))));
        headers.add(DLQ_CARRIER, bytes(carrier));
        // The record's bytes exactly as they were on the raw topic.
        return deadLetters.sendMessage(Message.of(record.getPayload() == null ? new byte[0] : record.getPayload())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(record.getKey())
                        .withHeaders(headers)
                        .build()));
    }

    private static long offset(KafkaRecord<?, ?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }

    static RawEnvelopes.Decoded readEnvelope(byte[] value) throws UnparseableException {
        if (value == null) {
            throw new UnparseableException("raw record has no value");
        }
        RawEnvelopes.Decoded decoded;
        try {
            // One pass over the record's bytes: the envelope's fields and the embedded payload's tree.
            decoded = RawEnvelopes.decode(value);
        } catch (Exception e) {
            throw new UnparseableException("raw record is not a Trackline envelope: " + e.getClass().getSimpleName());
        }
        if (decoded.envelope().payload() == null || decoded.envelope().carrier() == null) {
            throw new UnparseableException("raw envelope has no carrier or payload");
        }
        return decoded;
    }
}
