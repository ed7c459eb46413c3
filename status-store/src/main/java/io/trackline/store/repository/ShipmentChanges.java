package io.trackline.store.repository;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.trackline.events.TracklineJson;
import io.trackline.store.Shipment;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.Config;

/**
 * Changed shipments as they are committed, from PostgreSQL's {@code LISTEN} on
 * {@value TimelineRepository#CHANGES_CHANNEL}: every instance hears every change, whichever instance wrote it, and
 * only once it is durable. One connection of its own per instance, reconnecting every second after a loss. A change
 * is the shipment row as the notification carries it, read into a (detached) {@link Shipment}, as the query side
 * reads it through Panache: what the API shows of it is the service's to say.
 */
@ApplicationScoped
public class ShipmentChanges {

    private final BroadcastProcessor<Shipment> changes = BroadcastProcessor.create();
    /** Streams open on this instance ({@link #of}); while none is, notifications are not read. */
    private final AtomicInteger listeners = new AtomicInteger();

    private final Vertx vertx;
    private final PgConnectOptions options;
    private volatile PgSubscriber subscriber;
    private volatile boolean stopped;

    public ShipmentChanges(Vertx vertx, Config config) {
        this.vertx = vertx;
        // The datasource's own (Quarkus) settings: LISTEN needs a connection outside the pool.
        this.options = PgConnectOptions.fromUri(
                config.getValue("quarkus.datasource.reactive.url", String.class).replaceFirst("^vertx-reactive:", ""));
        config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
    }

    void start(@Observes StartupEvent event) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> stopped ? -1L : 1000L);
        subscriber
                .channel(TimelineRepository.CHANGES_CHANNEL)
                .subscribeHandler(() -> Log.debugf("listening on %s", TimelineRepository.CHANGES_CHANNEL))
                .handler(this::publish);
        connect();
    }

    private void connect() {
        subscriber.connect().subscribe().with(ok -> Log.debug("change listener connected"), failure -> {
            if (!stopped) {
                Log.debugf("change listener not connected (%s); retrying", failure.toString());
                vertx.setTimer(1000, id -> connect());
            }
        });
    }

    private void publish(String payload) {
        if (listeners.get() == 0) {
            // No stream is open: nobody would read the change. Under load every stored batch notifies each of its
            // shipments, and reading each notification's row costs a JSON parse per event (docs/status-store.md).
            return;
        }
        try {
            changes.onNext(shipment(payload));
        } catch (RuntimeException e) {
            Log.warnf("unreadable shipment change notification skipped: %s", e.toString());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** Changes of one shipment from now on; a slow reader keeps the latest 256 and drops older ones. */
    public Multi<Shipment> of(String shipmentId) {
        // Counted before it subscribes, so a change committed after the stream asked for it is read for it.
        return Multi.createFrom().deferred(() -> {
            listeners.incrementAndGet();
            return changes.filter(s -> shipmentId.equals(s.id))
                    .onOverflow()
                    .buffer(256)
                    .onTermination()
                    .invoke(listeners::decrementAndGet);
        });
    }

    /** The columns of a notified row that a {@link Shipment} holds (the row's other columns are ignored). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ChangedRow(
            String id,
            String carrier,
            String account,
            String reference,
            @JsonProperty("references_json") JsonNode references,
            String status,
            String reason,
            @JsonProperty("status_event_id") String statusEventId,
            @JsonProperty("status_event_at") OffsetDateTime statusEventAt,
            @JsonProperty("last_event_id") String lastEventId,
            @JsonProperty("last_event_at") OffsetDateTime lastEventAt,
            OffsetDateTime eta,
            @JsonProperty("created_at") OffsetDateTime createdAt,
            @JsonProperty("updated_at") OffsetDateTime updatedAt) {}

    static Shipment shipment(String payload) {
        ChangedRow row;
        try {
            row = TracklineJson.mapper().readValue(payload, ChangedRow.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a shipment row", e);
        }
        Shipment s = new Shipment();
        s.id = row.id();
        s.carrier = row.carrier();
        s.account = row.account();
        s.reference = row.reference();
        s.referencesJson = row.references() == null || row.references().isNull()
                ? null
                : row.references().toString();
        s.status = row.status();
        s.reason = row.reason();
        s.statusEventId = row.statusEventId();
        s.statusEventAt = row.statusEventAt();
        s.lastEventId = row.lastEventId();
        s.lastEventAt = row.lastEventAt();
        s.eta = row.eta();
        s.createdAt = row.createdAt();
        s.updatedAt = row.updatedAt();
        return s;
    }
}
