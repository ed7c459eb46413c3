package io.trackline.store.service;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import java.time.OffsetDateTime;

/** What the status rules need to know of one timeline event. */
public record EventFact(String eventId, CanonicalStatus status, CanonicalReason reason, OffsetDateTime occurredAt,
        OffsetDateTime eta) {

    public static EventFact of(CanonicalEvent e) {
        return new EventFact(e.eventId(), e.status(), e.reason(), e.occurredAt(), e.eta());
    }

    public EventKey key() {
        return new EventKey(occurredAt, StatusRules.rank(status, reason), eventId);
    }
}
