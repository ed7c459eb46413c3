package io.trackline.store.service;

import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.store.EventKey;
import io.trackline.store.ShipmentState;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * Which event decides a shipment's current status. The status is what replaying the shipment's events in event-time
 * order through {@link #apply} gives ({@link #replay}), so it does not depend on the order in which events arrive.
 * Which carrier codes may leave a final status is the normalizer's mapping data, carried by each event
 * ({@code reversal}); no carrier code is known here. The rules, their reasons and the carrier documents behind them
 * are in docs/status-rules.md; {@code StatusRulesTest} checks them.
 */
public final class StatusRules {

    /** Rank of a declared reactivation: above every final status it may follow at the same instant. */
    static final int REACTIVATION_RANK = 7;

    private StatusRules() {}

    /**
     * How far along an event is, to order events of the same instant (all24 sends "Goods arrived" and "Delivery
     * complete" with one timestamp, newest first). A reactivation ranks above the final status it reverses.
     */
    public static int rank(CanonicalStatus status, CanonicalReason reason) {
        if (reason == CanonicalReason.REACTIVATED) {
            return REACTIVATION_RANK;
        }
        return switch (status) {
            case UNKNOWN -> 0;
            case INFO_RECEIVED -> 1;
            case PICKED_UP -> 2;
            case IN_TRANSIT -> 3;
            case OUT_FOR_DELIVERY, DELIVERY_FAILED -> 4;
            case RETURNING -> 5;
            case DELIVERED, RETURNED, CANCELLED, LOST, SEIZED -> 6;
        };
    }

    /**
     * Whether an event may move a shipment out of a final status: what the event says ({@code reversal}, set by the
     * normalizer from its mapping row), or for an event without it, {@link #legacyReversal}.
     */
    public static boolean reversal(Boolean declared, Carrier carrier, CanonicalStatus status, CanonicalReason reason) {
        return declared != null ? declared : legacyReversal(carrier, status, reason);
    }

    /**
     * For events written before canonical events carried {@code reversal}: the codes the mapping tables of that time
     * marked or documented as reversals, recognised from the status they were mapped to (a reactivation, and
     * 247Express's only returning status, {@code PENDING_FOR_RETURN}). Fixed: the events it reads are no longer
     * written.
     */
    static boolean legacyReversal(Carrier carrier, CanonicalStatus status, CanonicalReason reason) {
        return reason == CanonicalReason.REACTIVATED
                || (carrier == Carrier.EXPRESS247 && status == CanonicalStatus.RETURNING);
    }

    /**
     * Whether an event newer than every event applied so far moves the current status.
     *
     * @param current the current status, {@code null} when the shipment has none yet
     */
    public static boolean moves(CanonicalStatus current, EventFact next) {
        if (current == null) {
            return true;
        }
        if (next.status() == CanonicalStatus.UNKNOWN) {
            return false; // an unmapped code joins the timeline; it says nothing about where the shipment is
        }
        if (current == CanonicalStatus.UNKNOWN
                || !current.isFinal()
                || next.status().isFinal()) {
            return true;
        }
        return next.reversal();
    }

    /** Applies an event newer than {@code state.lastEvent()}; {@code state} is {@code null} for a shipment without events. */
    public static ShipmentState apply(ShipmentState state, EventFact event) {
        EventKey key = event.key();
        if (state == null) {
            return new ShipmentState(event.status(), event.reason(), key, key, event.eta());
        }
        OffsetDateTime eta = event.eta() != null ? event.eta() : state.eta();
        if (moves(state.status(), event)) {
            return new ShipmentState(event.status(), event.reason(), key, key, eta);
        }
        return new ShipmentState(state.status(), state.reason(), state.statusEvent(), key, eta);
    }

    /** The state a whole timeline gives, whatever order its events came in. */
    public static ShipmentState replay(List<EventFact> timeline) {
        ShipmentState state = null;
        for (EventFact event :
                timeline.stream().sorted(Comparator.comparing(EventFact::key)).toList()) {
            state = apply(state, event);
        }
        return state;
    }

    /** Whether {@code event} can be applied on top of {@code state}, or the timeline must be replayed. */
    public static boolean inOrder(ShipmentState state, EventFact event) {
        return event.key().compareTo(state.lastEvent()) > 0;
    }
}
