package io.trackline.normalizer.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.InvalidRawRecordException;
import io.trackline.events.RawEnvelope;
import io.trackline.events.RawRecords;
import io.trackline.kafka.DeadLetters;
import io.trackline.normalizer.DeadLetterCode;
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
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Consumes {@code trackline.raw.v1} in batches (CloudEvents binary mode, and the JSON envelopes of versions 1 and 2
 * written before it: {@link RawRecords}), publishes each new fact once as a CloudEvent (binary mode) on
 * {@code trackline.events.v1}, keyed by shipment id, on the partition of the raw record it came from, and sends what
 * cannot be used to {@code trackline.raw.dlq.v1} with a stable code and the reason in headers ({@link DeadLetters}),
 * record by record: no record can stop the partition. A batch is acknowledged (and its offsets become committable)
 * only when every event and dead letter it produced is stored, so a crash replays rather than loses; the replay does
 * not duplicate because {@link SeenEvents} is rebuilt from the events topic.
 */
@ApplicationScoped
public class RawEventProcessor {

    public static final String RAW_IN = "raw-in";
    public static final String DLQ_OUT = "dlq-out";
    public static final URI SOURCE = URI.create("/trackline/normalizer");

    /**
     * Trackline's extra dead-letter header: the carrier of the record ({@code unknown} when its envelope cannot be
     * read). The others are {@link DeadLetters}' (SmallRye's names and meanings, and {@code dead-letter-code}).
     */
    public static final String DLQ_CARRIER = "dead-letter-carrier";
    /** Longest reason or cause header, in characters. */
    static final int MAX_REASON = 1000;

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

    public RawEventProcessor(
            Normalizer normalizer,
            SeenEvents seen,
            NormalizerMetrics metrics,
            InFlight inFlight,
            RenormalizeProgress progress,
            NormalizerConfig config,
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
     * the oldest of them is stored. The batch itself is acknowledged when its writes complete, so offsets never run
     * ahead of what is stored; it is nacked (which stops the channel) only when a write failed for a reason that may
     * go away (Kafka unreachable, a timeout), never because of what a record holds.
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
        Uni<Void> all = writes.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(writes).andFailFast().replaceWithVoid();
        CompletableFuture<Void> stored = all.eventually(() -> {
                    inFlight.end();
                    batch.getRecords().forEach(r -> progress.processed(r.getPartition(), offset(r)));
                })
                .onItem()
                .transformToUni(done -> Uni.createFrom().completionStage(batch.ack()))
                .onFailure()
                .recoverWithUni(e -> Uni.createFrom().completionStage(batch.nack(e)))
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

    /**
     * One raw record: its events sent, or the record itself sent to the dead-letter topic. Nothing a record holds
     * can fail the batch (the consumer rule, docs/architecture.md): a record that cannot be read, holds what
     * downstream cannot hold, or makes the normalizer throw is parked with a code; one whose events Kafka refuses for
     * good is parked when the refusal comes. Only a failure that may go away (Kafka unreachable) fails the batch.
     */
    private List<Uni<Void>> process(KafkaRecord<String, byte[]> record) {
        String carrier = NormalizerMetrics.UNKNOWN_CARRIER;
        List<Uni<Void>> writes = new ArrayList<>();
        try {
            RawRecords.Decoded decoded = readEnvelope(record.getHeaders(), record.getPayload());
            RawEnvelope envelope = decoded.envelope();
            carrier = envelope.carrier().id();
            List<Normalized> normalized = normalizer.normalize(envelope, decoded.json());
            metrics.rawConsumed(carrier);
            PartitionState state = seen.partition(record.getPartition());
            ParkOnce park = null;
            for (Normalized n : normalized) {
                CanonicalEvent event = n.event();
                Verdict verdict = state.judge(event, n.state(), renormalizing);
                if (verdict == Verdict.DUPLICATE) {
                    metrics.duplicate(carrier);
                    continue;
                }
                state.record(event);
                metrics.emitted(carrier, event.status().name());
                if (park == null) {
                    park = new ParkOnce(record, carrier);
                }
                writes.add(publish(event, record.getPartition(), park));
            }
            return writes;
        } catch (UnparseableException e) {
            writes.add(park(record, carrier, e.code(), e));
            return writes;
        } catch (RuntimeException | StackOverflowError e) {
            // A parser or mapping bug (NullPointerException, DateTimeException, ArithmeticException, a Jackson
            // limit): this record is parked, the partition goes on.
            writes.add(park(record, carrier, DeadLetterCode.NORMALIZATION_FAILED, e));
            return writes;
        }
    }

    private Uni<Void> publish(CanonicalEvent event, int partition, ParkOnce park) {
        // co-partitioned with the raw record: see docs/normalizer.md
        CompletableFuture<Void> stored = events.publish(event, partition);
        return Uni.createFrom()
                .completionStage(stored)
                .onFailure(RawEventProcessor::permanent)
                .recoverWithUni(park::failed);
    }

    /** Parks a record when the first of its events is refused for good; later refusals wait for the same write. */
    private final class ParkOnce {
        private final KafkaRecord<String, byte[]> record;
        private final String carrier;
        private Uni<Void> parked;

        ParkOnce(KafkaRecord<String, byte[]> record, String carrier) {
            this.record = record;
            this.carrier = carrier;
        }

        synchronized Uni<Void> failed(Throwable failure) {
            // called on the producer's thread, one per refused event
            if (parked == null) {
                parked = park(record, carrier, DeadLetterCode.PUBLISH_FAILED, failure)
                        .memoize()
                        .indefinitely();
            }
            return parked;
        }
    }

    /**
     * A failure to publish that will not go away by trying again: the record (not the broker, not the settings) is
     * the problem. Everything else, timeouts and an unreachable broker first, fails the batch: nothing is
     * acknowledged, the channel fails and the records are read again, none diverted.
     */
    static boolean permanent(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof CompositeException composite) {
                return composite.getCauses().stream().allMatch(RawEventProcessor::permanent);
            }
            if (t instanceof RetriableException) {
                return false;
            }
            if (t instanceof RecordTooLargeException
                    || t instanceof RecordBatchTooLargeException
                    || t instanceof SerializationException
                    || t instanceof InvalidTopicException
                    || t instanceof InvalidRecordException
                    || t instanceof InvalidTimestampException
                    || t instanceof JsonProcessingException) {
                return true;
            }
        }
        return false;
    }

    private Uni<Void> park(KafkaRecord<String, byte[]> record, String carrier, DeadLetterCode code, Throwable cause) {
        metrics.deadLettered(carrier, code);
        Log.warnf(
                "raw record %s-%d@%d sent to the dead-letter topic as %s: %s",
                record.getTopic(), record.getPartition(), offset(record), code.code(), bounded(cause.toString()));
        byte[] value = record.getPayload() == null ? new byte[0] : record.getPayload();
        return deadLetter(record, carrier, code, cause, value, true)
                .onFailure(RawEventProcessor::permanent)
                .recoverWithUni(tooLarge -> {
                    // The dead letter itself cannot be stored (a record at the size limit plus the reason headers):
                    // park it without its value, which stays on the raw topic at the offset the headers name, rather
                    // than stop the partition.
                    Log.errorf(
                            "dead letter of %s-%d@%d stored without its value: %s",
                            record.getTopic(), record.getPartition(), offset(record), tooLarge.toString());
                    return deadLetter(record, carrier, code, cause, value, false);
                });
    }

    /**
     * @param whole the record's value kept byte for byte; else an empty value and {@link DeadLetters#VALUE_OMITTED}
     *              with its size
     */
    private Uni<Void> deadLetter(
            KafkaRecord<String, byte[]> record,
            String carrier,
            DeadLetterCode code,
            Throwable cause,
            byte[] value,
            boolean whole) {
        Headers headers = DeadLetters.headers(
                record.getHeaders(), record.getTopic(), record.getPartition(), offset(record), code.code(), cause);
        // Reasons quote carrier values only briefly; a message of a library's own is bounded here, so that a dead
        // letter is hardly larger than its record.
        for (String name : List.of(DeadLetters.REASON, DeadLetters.CAUSE)) {
            String text = DeadLetters.header(headers, name);
            if (text != null && text.length() > MAX_REASON) {
                headers.remove(name);
                headers.add(name, bounded(text).getBytes(StandardCharsets.UTF_8));
            }
        }
        headers.add(DLQ_CARRIER, carrier.getBytes(StandardCharsets.UTF_8));
        if (!whole) {
            DeadLetters.valueOmitted(headers, value.length);
        }
        // The record's bytes exactly as they were on the raw topic.
        return deadLetters.sendMessage(Message.of(whole ? value : new byte[0])
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(record.getKey())
                        .withHeaders(headers)
                        .build()));
    }

    private static String bounded(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
    }

    private static long offset(KafkaRecord<?, ?> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
    }

    /**
     * The envelope of a raw record in any of its forms ({@link RawRecords#read}): CloudEvents binary mode, or a JSON
     * envelope of version 1 or 2 written before. A record that is neither is {@code invalid_envelope}.
     */
    static RawRecords.Decoded readEnvelope(Headers headers, byte[] value) throws UnparseableException {
        try {
            return RawRecords.read(headers, value);
        } catch (InvalidRawRecordException e) {
            throw new UnparseableException(DeadLetterCode.INVALID_ENVELOPE, e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new UnparseableException(
                    DeadLetterCode.INVALID_ENVELOPE,
                    "raw record is not a Trackline envelope: " + e.getClass().getSimpleName(),
                    e);
        }
    }
}
