package io.trackline.store;

import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import java.time.OffsetDateTime;

/**
 * A shipment's current status and the events it was decided by: what the {@code shipment} row holds besides the
 * shipment's identity. The service decides it ({@code StatusRules}); the repository reads and writes it.
 *
 * @param statusEvent the event the current status comes from
 * @param lastEvent   the latest event of the timeline by event time, whether or not it moved the status
 * @param eta         the estimated delivery of the latest event that carried one
 */
public record ShipmentState(
        CanonicalStatus status, CanonicalReason reason, EventKey statusEvent, EventKey lastEvent, OffsetDateTime eta) {}
