package io.trackline.store.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.trackline.events.CanonicalEvent;
import io.trackline.store.config.StoreConfig;
import io.trackline.store.repository.TimelineWriter;
import io.trackline.store.repository.WriteResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code trackline.events.v1} in batches (one poll, up to {@code max.poll.records}) and stores each batch in
 * one transaction. The batch is acknowledged, so its offsets become committable, only after that transaction
 * committed. While PostgreSQL is down the write is retried with back-off and the next batch is not taken: the
 * connector pauses the partitions once its queue is full, consumption stops, and it resumes by itself with nothing
 * lost when the database answers again. Records that cannot be read as a canonical event are counted, logged with
 * their position and skipped: retrying them would stop the partition for good.
 */
@ApplicationScoped
public class EventConsumer {

    public static final String EVENTS_IN = "events-in";

    private final TimelineWriter writer;
    private final StoreConfig config;
    private final Timer writeTimer;
    private final DistributionSummary batchSize;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter rejected;
    private final Counter failedWrites;

    public EventConsumer(TimelineWriter writer, StoreConfig config, MeterRegistry registry) {
        this.writer = writer;
        this.config = config;
        this.writeTimer = Timer.builder("trackline.store.batch.write")
                .description("Time to store one batch, commit included (retries of a failed batch not included)")
                .publishPercentileHistogram().register(registry);
        this.batchSize = DistributionSummary.builder("trackline.store.batch.size")
                .description("Events per stored batch").baseUnit("events").register(registry);
        this.stored = Counter.builder("trackline.store.events.stored")
                .description("Events new to a timeline").register(registry);
        this.duplicates = Counter.builder("trackline.store.events.duplicate")
                .description("Events already stored (redeliveries), ignored").register(registry);
        this.rejected = Counter.builder("trackline.store.events.rejected")
                .description("Records that were no readable canonical event, skipped").register(registry);
        this.failedWrites = Counter.builder("trackline.store.batch.write.failures")
                .description("Failed batch writes (each is retried until it succeeds)").register(registry);
    }

    @Incoming(EVENTS_IN)
    public Uni<Void> consume(KafkaRecordBatch<String, CanonicalEvent> batch) {
        List<CanonicalEvent> events = new ArrayList<>(batch.getRecords().size());
        for (KafkaRecord<String, CanonicalEvent> record : batch) {
            CanonicalEvent event = record.getPayload();
            if (readable(event)) {
                events.add(event);
            } else {
                rejected.increment();
                Log.warnf("skipped an unreadable record on %s partition %d offset %s", record.getTopic(),
                        record.getPartition(), record.getMetadata(IncomingKafkaRecordMetadata.class)
                                .map(m -> String.valueOf(m.getOffset())).orElse("?"));
            }
        }
        return store(events).chain(() -> Uni.createFrom().completionStage(batch.ack()));
    }

    private Uni<WriteResult> store(List<CanonicalEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new WriteResult(0, 0, 0, 0, 0));
        }
        StoreConfig.Retry retry = config.retry();
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start();
            return writer.write(events).invoke(result -> sample.stop(writeTimer));
        })
                .onFailure().invoke(f -> {
                    failedWrites.increment();
                    Log.warnf("storing a batch of %d events failed, will retry: %s", events.size(), f.toString());
                })
                .onFailure().retry().withBackOff(retry.initialBackOff(), retry.maxBackOff()).indefinitely()
                .invoke(result -> {
                    batchSize.record(result.received());
                    stored.increment(result.stored());
                    duplicates.increment(result.duplicates());
                });
    }

    private static boolean readable(CanonicalEvent e) {
        return e != null && e.eventId() != null && e.shipmentId() != null && e.carrier() != null
                && e.account() != null && e.reference() != null && e.status() != null && e.occurredAt() != null;
    }
}
