package io.trackline.normalizer.messaging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.InvalidRawRecordException;
import io.trackline.events.RawRecords;
import io.trackline.kafka.DeadLetters;
import io.trackline.kafka.tracing.RecordTracing;
import io.trackline.normalizer.DeadLetterCode;
import io.trackline.normalizer.carrier.UnparseableException;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.Normalizer.Normalized;
import io.trackline.normalizer.service.NormalizerMetrics;
import io.trackline.normalizer.service.ShipmentMemory;
import io.trackline.normalizer.service.ShipmentMemory.Verdict;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The normalizer's one processor (docs/normalizer.md, "Topology"): a raw record in (CloudEvents binary mode, or an
 * old JSON envelope: {@link RawRecords}), its new facts out as canonical events to {@code events} on the raw
 * record's partition, or the record itself out to {@code dead-letters} with its reason ({@link DeadLetters}). Each
 * shipment's memory of what it published ({@link ShipmentMemory}) is read from and written to the
 * {@value NormalizerTopology#STORE} store in the same task, so with {@code exactly_once_v2} the store's changelog, the
 * events, the dead letters and the raw offsets commit together: a crash or a rebalance replays nothing twice.
 *
 * <p>Nothing a record holds can fail the task (the consumer rule): a record that cannot be read, holds what downstream
 * cannot hold, makes the normalizer throw, or would give an event larger than the producer sends is a dead letter.
 * A punctuator removes shipments whose last status has been final for {@link Settings#finalRetention()}. What
 * escapes it all the same reaches {@link RecordFailureHandler}.
 */
final class NormalizeProcessor implements Processor<byte[], byte[], byte[], Outbound> {

    static final URI SOURCE = URI.create("/trackline/normalizer");
    /** Trackline's extra dead-letter header: the record's carrier ({@code unknown} when its envelope is unreadable). */
    static final String DLQ_CARRIER = "dead-letter-carrier";
    /** Longest reason or cause header, in characters. */
    static final int MAX_REASON = 1000;
    /** The store key marking a task's partition as seeded from the events topic (re-normalization only). */
    static final String SEEDED = "\u0000seeded";
    /** The producer's {@code max.request.size} when none is set: 1 MiB. */
    static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;

    /** What the processor is told; see {@link io.trackline.normalizer.config.NormalizerConfig}. */
    record Settings(
            int maxFactsPerShipment,
            Duration finalRetention,
            Duration sweepInterval,
            Optional<Instant> renormalizeFrom,
            String eventsTopic,
            OptionalInt maxEventSize) {

        Settings(
                int maxFactsPerShipment,
                Duration finalRetention,
                Duration sweepInterval,
                Optional<Instant> renormalizeFrom,
                String eventsTopic) {
            this(maxFactsPerShipment, finalRetention, sweepInterval, renormalizeFrom, eventsTopic, OptionalInt.empty());
        }
    }

    private final Normalizer normalizer;
    private final NormalizerMetrics metrics;
    private final Settings settings;
    private final RenormalizeProgress progress;
    private final EventsTopicSeed seed;
    private final RecordTracing tracing;

    private ProcessorContext<byte[], Outbound> context;
    private KeyValueStore<String, ShipmentMemory> store;
    private int maxRequestSize;
    /** The largest event sent: {@link Settings#maxEventSize()}, at most the producer's {@code max.request.size}. */
    private int maxEventSize;

    private CompressionType compression;
    private boolean seeded;

    NormalizeProcessor(
            Normalizer normalizer,
            NormalizerMetrics metrics,
            Settings settings,
            RenormalizeProgress progress,
            EventsTopicSeed seed) {
        this(normalizer, metrics, settings, progress, seed, RecordTracing.off());
    }

    /**
     * With tracing ({@link RecordTracing}, docs/tracing.md): each raw record is normalized in a consumer span
     * {@code normalize trackline.raw.v1}, the child of the context in the record's {@code traceparent}, and each event
     * it publishes carries that span's context in its own {@code traceparent}, for status-store.
     */
    NormalizeProcessor(
            Normalizer normalizer,
            NormalizerMetrics metrics,
            Settings settings,
            RenormalizeProgress progress,
            EventsTopicSeed seed,
            RecordTracing tracing) {
        this.tracing = tracing;
        this.normalizer = normalizer;
        this.metrics = metrics;
        this.settings = settings;
        this.progress = progress;
        this.seed = seed;
    }

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        this.context = context;
        this.store = context.getStateStore(NormalizerTopology.STORE);
        Map<String, Object> configs = context.appConfigs();
        this.maxRequestSize = Integer.parseInt(String.valueOf(
                producerSetting(configs, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DEFAULT_MAX_REQUEST_SIZE)));
        this.maxEventSize = Math.min(maxRequestSize, settings.maxEventSize().orElse(maxRequestSize));
        this.compression = CompressionType.forName(
                String.valueOf(producerSetting(configs, ProducerConfig.COMPRESSION_TYPE_CONFIG, "none")));
        this.seeded = settings.renormalizeFrom().isEmpty();
        context.schedule(settings.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    /** A producer setting as Kafka Streams gives it to its producer: {@code producer.<name>}, then {@code <name>}. */
    private static Object producerSetting(Map<String, Object> configs, String name, Object fallback) {
        Object value = configs.get(StreamsConfig.PRODUCER_PREFIX + name);
        if (value == null) {
            value = configs.get(name);
        }
        return value == null ? fallback : value;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata where = context.recordMetadata().orElseThrow();
        try {
            if (settings.renormalizeFrom().isPresent()
                    && record.timestamp() < settings.renormalizeFrom().get().toEpochMilli()) {
                return; // before the instant: the run starts at the first record at or after it
            }
            if (!seeded) {
                seedFromEventsTopic(where.partition());
            }
            normalize(record, where);
        } finally {
            progress.processed(where.partition(), where.offset());
        }
    }

    private void normalize(Record<byte[], byte[]> record, RecordMetadata where) {
        Span span = tracing.process("normalize", where.topic(), where.partition(), where.offset(), record.headers());
        try {
            normalize(record, where, span);
        } finally {
            span.end();
        }
    }

    private void normalize(Record<byte[], byte[]> record, RecordMetadata where, Span span) {
        String carrier = NormalizerMetrics.UNKNOWN_CARRIER;
        try {
            RawRecords.Decoded decoded = readEnvelope(record.headers(), record.value());
            carrier = decoded.envelope().carrier().id();
            List<Normalized> normalized = normalizer.normalize(decoded.envelope(), decoded.json());
            metrics.rawConsumed(carrier);
            boolean renormalizing = settings.renormalizeFrom().isPresent();
            long now = context.currentSystemTimeMs();
            Map<String, ShipmentMemory> touched = new HashMap<>();
            List<Record<byte[], Outbound>> events = new ArrayList<>(normalized.size());
            Throwable refused = null;
            for (Normalized n : normalized) {
                CanonicalEvent event = n.event();
                ShipmentMemory memory = touched.computeIfAbsent(event.shipmentId(), this::memory);
                if (memory.judge(event, n.state(), renormalizing) == Verdict.DUPLICATE) {
                    metrics.duplicate(carrier);
                    continue;
                }
                byte[] key = event.shipmentId().getBytes(StandardCharsets.UTF_8);
                byte[] value;
                try {
                    value = CanonicalEventJson.write(event);
                } catch (Exception e) {
                    refused = refused == null ? e : refused;
                    continue;
                }
                Headers headers = CloudEventHeaders.of(event);
                tracing.inject(Context.root().with(span), headers);
                int size = size(key, value, headers);
                if (size > maxEventSize) {
                    // The producer would refuse it (RecordTooLargeException), which under exactly-once aborts the
                    // whole transaction, again at every retry: refused here, before it is sent.
                    refused = refused == null
                            ? new RecordTooLargeException("the event is " + size
                                    + " bytes when serialized, larger than the " + maxEventSize
                                    + " bytes an event may have")
                            : refused;
                    continue;
                }
                memory.record(event, now, settings.maxFactsPerShipment());
                metrics.emitted(carrier, event.status().name());
                events.add(new Record<>(key, new Outbound(value, where.partition()), now, headers));
            }
            touched.forEach(store::put);
            events.forEach(e -> context.forward(e, NormalizerTopology.EVENTS_SINK));
            if (refused != null) {
                // events of the record that fit stay published (same ids: re-normalizing after the fix completes it)
                park(record, where, carrier, DeadLetterCode.PUBLISH_FAILED, refused);
            }
        } catch (UnparseableException e) {
            span.setAttribute("trackline.normalizer.dead_letter", e.code().code());
            park(record, where, carrier, e.code(), e);
        } catch (RuntimeException | StackOverflowError e) {
            span.setAttribute("trackline.normalizer.dead_letter", DeadLetterCode.NORMALIZATION_FAILED.code());
            // A parser or mapping bug (NullPointerException, DateTimeException, ArithmeticException, a Jackson
            // limit): this record is parked, the partition goes on.
            park(record, where, carrier, DeadLetterCode.NORMALIZATION_FAILED, e);
        }
    }

    private ShipmentMemory memory(String shipmentId) {
        ShipmentMemory memory = store.get(shipmentId);
        return memory != null ? memory : new ShipmentMemory();
    }

    private int size(byte[] key, byte[] value, Headers headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE, compression, key, value, headers.toArray());
    }

    private void park(
            Record<byte[], byte[]> record, RecordMetadata where, String carrier, DeadLetterCode code, Throwable cause) {
        metrics.deadLettered(carrier, code);
        Log.warnf(
                "raw record %s-%d@%d sent to the dead-letter topic as %s: %s",
                where.topic(), where.partition(), where.offset(), code.code(), bounded(cause.toString()));
        byte[] value = record.value() == null ? new byte[0] : record.value();
        Headers headers = deadLetterHeaders(record.headers(), where, carrier, code, cause);
        if (size(record.key(), value, headers) > maxRequestSize) {
            // The dead letter itself could not be stored (a record at the size limit plus the reason headers): it is
            // stored without its value, which stays on the raw topic at the offset the headers name.
            Log.errorf(
                    "dead letter of %s-%d@%d stored without its value: %d bytes with its headers",
                    where.topic(), where.partition(), where.offset(), value.length);
            DeadLetters.valueOmitted(headers, value.length);
            value = new byte[0];
        }
        // the record's key and bytes exactly as they were on the raw topic
        context.forward(
                new Record<>(
                        record.key(),
                        new Outbound(value, Outbound.ANY_PARTITION),
                        context.currentSystemTimeMs(),
                        headers),
                NormalizerTopology.DEAD_LETTER_SINK);
    }

    static Headers deadLetterHeaders(
            Headers original, RecordMetadata where, String carrier, DeadLetterCode code, Throwable cause) {
        return deadLetterHeaders(original, where.topic(), where.partition(), where.offset(), carrier, code, cause);
    }

    /** The dead letter's headers: the record's own, then {@link DeadLetters}', bounded, then the carrier. */
    static Headers deadLetterHeaders(
            Headers original,
            String topic,
            int partition,
            long offset,
            String carrier,
            DeadLetterCode code,
            Throwable cause) {
        Headers headers = DeadLetters.headers(original, topic, partition, offset, code.code(), cause);
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
        return headers;
    }

    static String bounded(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
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

    /**
     * Re-normalization only: a run has a store of its own (its own application id), so before its first record of a
     * partition it remembers what the events topic's same partition already holds, once (the {@value #SEEDED} key
     * says so in the store, so a resumed run does not read it again).
     */
    private void seedFromEventsTopic(int partition) {
        seeded = true;
        if (store.get(SEEDED) != null) {
            return;
        }
        Map<String, ShipmentMemory> memories = new HashMap<>();
        int events = seed.read(
                context.appConfigs(),
                settings.eventsTopic(),
                partition,
                (shipmentId, fact) -> fact.accept(
                        memories.computeIfAbsent(shipmentId, this::memory), settings.maxFactsPerShipment()));
        memories.forEach(store::put);
        store.put(SEEDED, new ShipmentMemory());
        metrics.seeded(events);
        Log.infof(
                "re-normalization memory of partition %d seeded from %s: %d events of %d shipments",
                partition, settings.eventsTopic(), events, memories.size());
    }

    /** Removes the shipments whose last published status has been final for longer than the retention. */
    private void sweep(long now) {
        long before = now - settings.finalRetention().toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, ShipmentMemory> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, ShipmentMemory> entry = all.next();
                long since = entry.value.finalSince();
                if (since != ShipmentMemory.NOT_FINAL && since < before) {
                    expired.add(entry.key);
                }
            }
        }
        expired.forEach(store::delete);
        if (!expired.isEmpty()) {
            metrics.expired(expired.size());
            Log.debugf("%d final shipments removed from the store", expired.size());
        }
    }
}
