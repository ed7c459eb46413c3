package io.trackline.store;

import java.time.OffsetDateTime;
import java.util.Comparator;

/**
 * Where an event sits in its shipment's history: event time, then rank (how far along its status is, decided by the
 * service's {@code StatusRules.rank}), then id. Stored with the shipment for the event its status comes from and for
 * its latest event, so a new event can be placed without reading the timeline.
 */
public record EventKey(OffsetDateTime at, int rank, String eventId) implements Comparable<EventKey> {

    private static final Comparator<EventKey> ORDER = Comparator.comparing((EventKey k) -> k.at().toInstant())
            .thenComparingInt(EventKey::rank)
            .thenComparing(EventKey::eventId);

    @Override
    public int compareTo(EventKey other) {
        return ORDER.compare(this, other);
    }
}
