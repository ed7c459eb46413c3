package io.trackline.pollers.service;

import io.trackline.events.Subscription;

/**
 * A subscription with the latest status the pollers know of its shipment.
 *
 * @param status  null while no canonical event of the shipment has reached the pollers
 * @param outcome what a subscribe request did with it; null on reads
 */
public record Subscribed(Subscription subscription, ShipmentStatus status, Outcome outcome) {

    public enum Outcome {
        /** It was not subscribed: it is now. */
        CREATED,
        /** It was subscribed already, as asked: nothing changed. */
        EXISTING,
        /** It was subscribed with another customer_id: that changed, subscribedAt stayed. */
        UPDATED
    }
}
