package io.trackline.pollers.carrier;

import io.trackline.events.RawEnvelope;
import io.trackline.pollers.service.RawTopic;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what was published (enabled by {@link CarrierClientsProfile} only; a singleton: tests read its fields). */
@Alternative
@Singleton
public class FakeRawTopic implements RawTopic {

    public final List<RawEnvelope> published = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Void> publish(RawEnvelope envelope) {
        published.add(envelope);
        return CompletableFuture.completedFuture(null);
    }
}
