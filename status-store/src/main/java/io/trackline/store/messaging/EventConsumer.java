package io.trackline.store.messaging;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.TracklineJson;
import io.trackline.kafka.tracing.RecordTracing;
import io.trackline.store.config.StoreConsumerConfig;
import io.trackline.store.messaging.DeadLetterPublisher.DeadLetter;
import io.trackline.store.service.EventChecks;
import io.trackline.store.service.TimelineStore;
import io.trackline.store.service.UnstorableEventException;
import io.trackline.store.service.WriteResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code trackline.events.v1} in batches (one poll, up to {@code max.poll.records}). The consumer rule
 * (docs/status-store.md): no single record may stop a partition, and nothing is lost while the database is away.
 * <ul>
 * <li>Values are read as bytes and parsed here, so a record that is no canonical event is kept byte for byte.</li>
 * <li>{@link TimelineStore} stores the batch, normally in one transaction; a transient failure (database away) is
 * retried with back-off and the next batch is not taken meanwhile; records that can never be stored are set aside
 * with a reason.</li>
 * <li>Those, and the unreadable ones, are parked on the dead-letter topic ({@link DeadLetterPublisher}: bytes, key
 * and headers as read, plus the reason).</li>
 * <li>The batch is acknowledged, so its offsets become committable, only once the stored events are committed and
 * Kafka acknowledged every dead letter.</li>
 * </ul>
 *
 * <p>Tracing ({@link RecordTracing}, docs/tracing.md): when the OpenTelemetry SDK is on, each batch is one consumer
 * span {@code store trackline.events.v1} with a link to the context in each record's {@code traceparent} header (the
 * normalizer's span of the raw record it came from), a child of that trace when the batch holds one trace only; it
 * ends when the batch is acknowledged, or failed.
 */
@ApplicationScoped
public class EventConsumer {

    public static final String EVENTS_IN = "events-in";
    static final AttributeKey<Long> STORED = AttributeKey.longKey("trackline.store.events.stored");
    static final AttributeKey<Long> DUPLICATES = AttributeKey.longKey("trackline.store.events.duplicate");
    static final AttributeKey<Long> PARKED = AttributeKey.longKey("trackline.store.events.parked");
    private static final ObjectReader READER = TracklineJson.mapper().readerFor(CanonicalEvent.class);

    private final TimelineStore store;
    private final DeadLetterPublisher deadLetters;
    private final int maxEventBytes;
    private final DistributionSummary batchSize;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter rejected;
    private final CarrierFreshness freshness;
    private final RecordTracing tracing;

    public EventConsumer(
            TimelineStore store,
            DeadLetterPublisher deadLetters,
            StoreConsumerConfig config,
            MeterRegistry registry,
            CarrierFreshness freshness,
            OpenTelemetry openTelemetry,
            Config settings) {
        this.tracing = RecordTracing.of(openTelemetry, settings, "io.trackline.store");
        this.store = store;
        this.deadLetters = deadLetters;
        this.freshness = freshness;
        this.maxEventBytes = config.maxEventBytes();
        this.batchSize = DistributionSummary.builder("trackline.store.batch.size")
                .description("Events per stored batch")
                .baseUnit("events")
                .register(registry);
        this.stored = Counter.builder("trackline.store.events.stored")
                .description("Events new to a timeline")
                .register(registry);
        this.duplicates = Counter.builder("trackline.store.events.duplicate")
                .description("Events already stored (redeliveries), ignored")
                .register(registry);
        this.rejected = Counter.builder("trackline.store.events.rejected")
                .description("Records that were no readable canonical event, parked on the dead-letter topic "
                        + "(also counted in trackline.store.events.dead_lettered{reason=unreadable})")
                .register(registry);
    }

    @Incoming(EVENTS_IN)
    public Uni<Void> consume(KafkaRecordBatch<byte[], byte[]> batch) {
        List<KafkaRecord<byte[], byte[]>> records = batch.getRecords();
        Span span = tracing.on() ? batchSpan(records) : Span.getInvalid();
        List<CanonicalEvent> events = new ArrayList<>(records.size());
        List<KafkaRecord<byte[], byte[]>> sources = new ArrayList<>(records.size());
        List<DeadLetter> parked = new ArrayList<>();
        for (KafkaRecord<byte[], byte[]> record : records) {
            try {
                events.add(read(record.getPayload(), maxEventBytes));
                sources.add(record);
            } catch (UnstorableEventException e) {
                parked.add(deadLetter(record, e));
            }
        }
        Uni<TimelineStore.Outcome> outcome = events.isEmpty()
                ? Uni.createFrom().item(new TimelineStore.Outcome(WriteResult.NONE, List.of()))
                : store.store(events);
        return outcome.flatMap(result -> {
                    WriteResult written = result.written();
                    if (written.received() > 0) {
                        batchSize.record(written.received());
                    }
                    stored.increment(written.stored());
                    duplicates.increment(written.duplicates());
                    freshness.seen(events);
                    span.setAttribute(STORED, written.stored());
                    span.setAttribute(DUPLICATES, written.duplicates());
                    result.rejected().forEach(r -> parked.add(deadLetter(sources.get(r.index()), r.reason())));
                    return deadLetters.park(parked);
                })
                .invoke(() -> rejected.increment(parked.stream()
                        .filter(d -> UnstorableEventException.UNREADABLE.equals(
                                d.reason().code()))
                        .count()))
                .chain(() -> Uni.createFrom().completionStage(batch.ack()))
                .onTermination()
                .invoke((ok, failure, cancelled) -> {
                    span.setAttribute(PARKED, parked.size());
                    RecordTracing.end(span, failure);
                });
    }

    private Span batchSpan(List<KafkaRecord<byte[], byte[]>> records) {
        List<Headers> headers = new ArrayList<>(records.size());
        for (KafkaRecord<byte[], byte[]> record : records) {
            headers.add(record.getHeaders());
        }
        String topic =
                records.isEmpty() ? "trackline.events.v1" : records.get(0).getTopic();
        return tracing.batch("store", topic, headers);
    }

    /** The canonical event in a record's value; the reason never quotes the value. */
    static CanonicalEvent read(byte[] value, int maxBytes) {
        if (value == null) {
            throw new UnstorableEventException(UnstorableEventException.UNREADABLE, "no value (a tombstone)");
        }
        EventChecks.size(value.length, maxBytes).ifPresent(tooLarge -> {
            throw tooLarge;
        });
        CanonicalEvent event;
        try {
            event = READER.readValue(value);
        } catch (JsonParseException e) {
            throw new UnstorableEventException(
                    UnstorableEventException.UNREADABLE, "not JSON" + where(e.getLocation()), e);
        } catch (JsonMappingException e) {
            throw new UnstorableEventException(
                    UnstorableEventException.UNREADABLE,
                    "not a canonical event: " + path(e) + " cannot be read as " + target(e) + where(e.getLocation()),
                    e);
        } catch (JacksonException e) {
            throw new UnstorableEventException(
                    UnstorableEventException.UNREADABLE, "not JSON" + where(e.getLocation()), e);
        } catch (IOException | RuntimeException e) {
            throw new UnstorableEventException(
                    UnstorableEventException.UNREADABLE,
                    "not readable: " + e.getClass().getSimpleName(),
                    e);
        }
        if (event == null) {
            throw new UnstorableEventException(UnstorableEventException.UNREADABLE, "the value is JSON null");
        }
        return event;
    }

    private DeadLetter deadLetter(KafkaRecord<byte[], byte[]> record, UnstorableEventException reason) {
        long offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(IncomingKafkaRecordMetadata::getOffset)
                .orElse(-1L);
        return new DeadLetter(
                record.getTopic(),
                record.getPartition(),
                offset,
                record.getKey(),
                record.getPayload(),
                record.getHeaders(),
                reason);
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String path(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "the value" : "field '" + path + "'";
    }

    private static String target(JsonMappingException e) {
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return m.getTargetType().getSimpleName();
        }
        return "its type";
    }
}
