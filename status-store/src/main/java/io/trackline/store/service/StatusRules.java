package io.trackline.store.service;

import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import java.util.List;

/**
 * Which event decides a shipment's current status. The status is what replaying the shipment's events in event-time
 * order through {@link #moves} gives, so it does not depend on the order in which events arrive. The rules, their
 * reasons and the carrier documents behind them are in docs/status-rules.md; {@code StatusRulesTest} checks them.
 */
public final class StatusRules {

    /** A final status a carrier declares it may leave for another, non-final one. */
    public record Reversal(Carrier carrier, CanonicalStatus from, CanonicalStatus to) {
    }

    /**
     * 247Express returns a delivered, cancelled or lost order to the sender: PENDING_FOR_RETURN ("being returned to
     * the customer") after DELIVERED, CANCEL or LOST is the start of that return, not a step back.
     */
    public static final List<Reversal> REVERSALS = List.of(
            new Reversal(Carrier.EXPRESS247, CanonicalStatus.DELIVERED, CanonicalStatus.RETURNING),
            new Reversal(Carrier.EXPRESS247, CanonicalStatus.CANCELLED, CanonicalStatus.RETURNING),
            new Reversal(Carrier.EXPRESS247, CanonicalStatus.LOST, CanonicalStatus.RETURNING));

    /** Rank of a declared reactivation: above every final status it may follow at the same instant. */
    static final int REACTIVATION_RANK = 7;

    private StatusRules() {
    }

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
     * Whether an event newer than every event applied so far moves the current status.
     *
     * @param current the current status, {@code null} when the shipment has none yet
     */
    public static boolean moves(Carrier carrier, CanonicalStatus current, CanonicalStatus next, CanonicalReason reason) {
        if (current == null) {
            return true;
        }
        if (next == CanonicalStatus.UNKNOWN) {
            return false; // an unmapped code joins the timeline; it says nothing about where the shipment is
        }
        if (current == CanonicalStatus.UNKNOWN || !current.isFinal() || next.isFinal()) {
            return true;
        }
        return reason == CanonicalReason.REACTIVATED || REVERSALS.contains(new Reversal(carrier, current, next));
    }
}
