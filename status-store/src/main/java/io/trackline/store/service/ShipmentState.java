package io.trackline.store.service;

import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * A shipment's current status and the events it was decided by. {@link #apply} takes events in event-time order;
 * {@link #replay} decides from a whole timeline, which the writer does when a late event arrives.
 *
 * @param statusEvent the event the current status comes from
 * @param lastEvent   the latest event of the timeline by event time, whether or not it moved the status
 * @param eta         the estimated delivery of the latest event that carried one
 */
public record ShipmentState(CanonicalStatus status, CanonicalReason reason, EventKey statusEvent, EventKey lastEvent,
        OffsetDateTime eta) {

    /** Applies an event newer than {@link #lastEvent()}; {@code state} is {@code null} for a shipment without events. */
    public static ShipmentState apply(ShipmentState state, Carrier carrier, EventFact event) {
        EventKey key = event.key();
        if (state == null) {
            return new ShipmentState(event.status(), event.reason(), key, key, event.eta());
        }
        OffsetDateTime eta = event.eta() != null ? event.eta() : state.eta();
        if (StatusRules.moves(carrier, state.status(), event.status(), event.reason())) {
            return new ShipmentState(event.status(), event.reason(), key, key, eta);
        }
        return new ShipmentState(state.status(), state.reason(), state.statusEvent(), key, eta);
    }

    /** The state a whole timeline gives, whatever order its events came in. */
    public static ShipmentState replay(Carrier carrier, List<EventFact> timeline) {
        ShipmentState state = null;
        for (EventFact event : timeline.stream().sorted(Comparator.comparing(EventFact::key)).toList()) {
            state = apply(state, carrier, event);
        }
        return state;
    }

    /** Whether {@code event} can be applied on top of this state, or the timeline must be replayed. */
    public boolean inOrder(EventFact event) {
        return event.key().compareTo(lastEvent) > 0;
    }
}
