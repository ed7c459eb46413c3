package io.trackline.store.repository;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.trackline.store.ShipmentView;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

/**
 * Changed shipments as they are committed, from PostgreSQL's {@code LISTEN} on
 * {@value TimelineWriter#CHANGES_CHANNEL}: every instance hears every change, whichever instance wrote it, and only
 * once it is durable. One connection of its own per instance, reconnecting every second after a loss.
 */
@ApplicationScoped
public class ShipmentChanges {

    private final BroadcastProcessor<ShipmentView> changes = BroadcastProcessor.create();
    private final Vertx vertx;
    private final PgConnectOptions options;
    private volatile PgSubscriber subscriber;
    private volatile boolean stopped;

    public ShipmentChanges(Vertx vertx, Config config) {
        this.vertx = vertx;
        // The datasource's own (Quarkus) settings: LISTEN needs a connection outside the pool.
        this.options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class)
                .replaceFirst("^vertx-reactive:", ""));
        config.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(options::setUser);
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
    }

    void start(@Observes StartupEvent event) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> stopped ? -1L : 1000L);
        subscriber.channel(TimelineWriter.CHANGES_CHANNEL)
                .subscribeHandler(() -> Log.debugf("listening on %s", TimelineWriter.CHANGES_CHANNEL))
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
        try {
            changes.onNext(ShipmentView.fromJson(payload));
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
    public Multi<ShipmentView> of(String shipmentId) {
        return changes.filter(v -> shipmentId.equals(v.shipmentId())).onOverflow().buffer(256);
    }
}
