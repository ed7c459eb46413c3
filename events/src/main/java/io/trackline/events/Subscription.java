package io.trackline.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One shipment the pollers keep asking its carrier about: a record of the compacted topic
 * {@link Topics#SUBSCRIPTIONS}, keyed by {@link #shipmentId()} (the same key as the raw and events topics, so a
 * subscription's partition is its shipment's partition). A tombstone (null value) under that key ends it.
 *
 * @param carrier      the carrier to ask
 * @param account      Trackline's name of the carrier account whose credentials the look-ups use
 * @param reference    the carrier's reference: all24 tracking number (or the third party's number with
 *                     {@code customerId}), 247Express order code, MrSpeedy order id
 * @param customerId   all24's customer id of a third-party tracking number; null otherwise
 * @param subscribedAt when the subscription was first made (subscribing again keeps the first time)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(
        Carrier carrier, String account, String reference, String customerId, OffsetDateTime subscribedAt) {

    public Subscription {
        Objects.requireNonNull(carrier, "carrier");
        Objects.requireNonNull(subscribedAt, "subscribedAt");
        reference = reference == null ? null : reference.strip();
        ShipmentIds.of(carrier, account, reference); // validates account and reference
        if (customerId != null && customerId.isBlank()) {
            customerId = null;
        }
    }

    /** The canonical shipment id: the record's key. */
    @JsonIgnore
    public String shipmentId() {
        return ShipmentIds.of(carrier, account, reference);
    }
}
