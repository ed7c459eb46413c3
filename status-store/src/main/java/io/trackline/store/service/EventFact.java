package io.trackline.store.service;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.store.EventKey;
import io.trackline.store.repository.TimelineRow;
import java.time.OffsetDateTime;

/**
 * What the status rules need to know of one timeline event.
 *
 * @param reversal whether the event may move a shipment out of a final status: the event's own {@code reversal}
 *                 (from the normalizer's mapping row), or for an event written before it carried one, what
 *                 {@link StatusRules#legacyReversal} decides from its status
 */
public record EventFact(
        String eventId,
        CanonicalStatus status,
        CanonicalReason reason,
        OffsetDateTime occurredAt,
        OffsetDateTime eta,
        boolean reversal) {

    public static EventFact of(CanonicalEvent e) {
        return new EventFact(
                e.eventId(),
                e.status(),
                e.reason(),
                e.occurredAt(),
                e.eta(),
                StatusRules.reversal(e.reversal(), e.carrier(), e.status(), e.reason()));
    }

    /** A stored event of a shipment of {@code carrier}, read back to replay its timeline. */
    public static EventFact of(TimelineRow row, Carrier carrier) {
        return new EventFact(
                row.eventId(),
                row.status(),
                row.reason(),
                row.occurredAt(),
                row.eta(),
                StatusRules.reversal(row.reversal(), carrier, row.status(), row.reason()));
    }

    public EventKey key() {
        return new EventKey(occurredAt, StatusRules.rank(status, reason), eventId);
    }
}
