package io.trackline.pollers;

import io.trackline.events.Subscription;
import io.trackline.pollers.service.SubscriptionListener;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** Every call the subscriptions consumer makes, in order: a listener bean of the application under test. */
@Singleton
public class RecordingListener implements SubscriptionListener {

    /** One call: {@code what} is assigned, upserted, removed, caughtUp or revoked. */
    public record Call(String what, int partition, String shipmentId) {}

    private final List<Call> calls = new ArrayList<>();

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    private synchronized void add(String what, int partition, String shipmentId) {
        calls.add(new Call(what, partition, shipmentId));
    }

    @Override
    public void assigned(int partition) {
        add("assigned", partition, null);
    }

    @Override
    public void caughtUp(int partition) {
        add("caughtUp", partition, null);
    }

    @Override
    public void upserted(int partition, Subscription subscription) {
        add("upserted", partition, subscription.shipmentId());
    }

    @Override
    public void removed(int partition, String shipmentId) {
        add("removed", partition, shipmentId);
    }

    @Override
    public void revoked(int partition) {
        add("revoked", partition, null);
    }
}
