package io.trackline.pollers.repository;

import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import java.time.OffsetDateTime;

/**
 * One row of {@code pollers.shipment_status}, or one event's candidate for it.
 *
 * @param aliasId        all24: the shipment id under the third party's number, when the event carries one
 * @param statusSince    when the shipment entered {@code status}
 * @param lastOccurredAt the occurredAt of the newest event, the one that decided {@code status}
 * @param lastEventAt    when that event reached the pollers
 */
public record StatusRow(
        String shipmentId,
        Carrier carrier,
        String account,
        String reference,
        String aliasId,
        CanonicalStatus status,
        OffsetDateTime statusSince,
        OffsetDateTime lastOccurredAt,
        String lastEventId,
        OffsetDateTime lastEventAt,
        OffsetDateTime eta) {}
