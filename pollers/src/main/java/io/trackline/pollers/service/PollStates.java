package io.trackline.pollers.service;

import io.trackline.events.Subscription;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** Where {@link PollState}s are kept, shared by every poller instance (implemented in {@code repository}). */
public interface PollStates {

    /** The states of these subscriptions, by shipment id; a fresh one is stored for each that has none. */
    Map<String, PollState> loadOrCreate(Collection<Subscription> subscriptions);

    /** The stored states of these shipments (those that have one), by shipment id. */
    Map<String, PollState> load(Collection<String> shipmentIds);

    /**
     * Writes each state where the stored one still has the state's {@link PollState#version()}, making it that
     * version plus one ({@link PollState#written()}): nothing was written by anyone else since this instance read
     * it. Writing a state unchanged claims it (for a look-up) the same way.
     *
     * @return the shipment ids written; the others were changed elsewhere and must be read again
     */
    Set<String> compareAndSet(Collection<PollState> states);

    /** The subscription ended (a tombstone): its state goes. */
    void delete(String shipmentId);
}
