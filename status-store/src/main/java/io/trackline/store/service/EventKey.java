package io.trackline.store.service;

import java.time.OffsetDateTime;
import java.util.Comparator;

/** Where an event sits in its shipment's history: event time, then {@link StatusRules#rank}, then id. */
public record EventKey(OffsetDateTime at, int rank, String eventId) implements Comparable<EventKey> {

    private static final Comparator<EventKey> ORDER = Comparator
            .comparing((EventKey k) -> k.at().toInstant())
            .thenComparingInt(EventKey::rank)
            .thenComparing(EventKey::eventId);

    @Override
    public int compareTo(EventKey other) {
        return ORDER.compare(this, other);
    }
}
