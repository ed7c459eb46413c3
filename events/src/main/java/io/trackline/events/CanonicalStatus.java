package io.trackline.events;

/** One status vocabulary for every carrier. */
public enum CanonicalStatus {
    INFO_RECEIVED,
    PICKED_UP,
    IN_TRANSIT,
    OUT_FOR_DELIVERY,
    /** A delivery attempt failed or the shipment is on hold; the reason says why. */
    DELIVERY_FAILED,
    DELIVERED,
    RETURNING,
    RETURNED,
    CANCELLED,
    LOST,
    SEIZED,
    /** The carrier sent a code Trackline has no mapping for; the raw code is kept. */
    UNKNOWN;

    /** A final status ends the shipment's life unless the carrier declares a reversal. */
    public boolean isFinal() {
        return switch (this) {
            case DELIVERED, RETURNED, CANCELLED, LOST, SEIZED -> true;
            default -> false;
        };
    }
}
