package io.trackline.pollers.service;

import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import java.time.OffsetDateTime;

/**
 * The latest the pollers learned of a shipment from {@code trackline.events.v1} (callbacks and polls alike): what
 * scheduling needs to decide whether and when to ask again.
 *
 * @param shipmentId  canonical shipment id
 * @param status      the current canonical status (the newest event's, as the status store would say)
 * @param statusSince when the shipment entered that status (the event's occurredAt)
 * @param lastEventAt when the newest canonical event reached the pollers (news, whatever brought it)
 * @param eta         the carrier's expected delivery, if it gave one
 */
public record ShipmentStatus(
        String shipmentId,
        Carrier carrier,
        String account,
        String reference,
        CanonicalStatus status,
        OffsetDateTime statusSince,
        OffsetDateTime lastEventAt,
        OffsetDateTime eta) {

    public boolean isFinal() {
        return status != null && status.isFinal();
    }
}
