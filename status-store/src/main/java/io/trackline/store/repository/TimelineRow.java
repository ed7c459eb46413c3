package io.trackline.store.repository;

import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import java.time.OffsetDateTime;

/**
 * One stored event of a timeline, as {@link TimelineRepository.Transaction#timelines} reads it back.
 *
 * @param eta      the event's estimated delivery, if it carried one
 * @param reversal the event's {@code reversal} flag; {@code null} for an event stored before events carried it
 */
public record TimelineRow(
        String shipmentId,
        String eventId,
        CanonicalStatus status,
        CanonicalReason reason,
        OffsetDateTime occurredAt,
        OffsetDateTime eta,
        Boolean reversal) {}
