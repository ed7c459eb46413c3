package io.trackline.events;

/**
 * Why a shipment is held, failed, returned or cancelled, where the carrier says so. Carrier reason codes
 * (247Express delay reasons, all24 cancellation codes, MrSpeedy statuses) map onto these in the
 * normalizer's mapping tables.
 */
public enum CanonicalReason {
    ADDRESS_INCORRECT,
    ADDRESS_NOT_FOUND,
    ADDRESS_CHANGED,
    LABEL_MISMATCH,
    ROUTING_ERROR,
    RECIPIENT_UNAVAILABLE,
    RECIPIENT_UNREACHABLE,
    RECIPIENT_NOT_NOTIFIED,
    RECIPIENT_REFUSED,
    RECIPIENT_RESCHEDULED,
    RECIPIENT_NO_PAYMENT,
    RECIPIENT_ID_INVALID,
    RECIPIENT_DELEGATED,
    PICKUP_AT_BRANCH,
    INSPECTION_NOT_ALLOWED,
    NON_WORKING_DAY,
    WEATHER,
    SENDER_REQUESTED_RETURN,
    DAMAGED,
    PARTIALLY_MISSING,
    LOST_IN_TRANSIT,
    PHONE_INCORRECT,
    ORDER_INFO_INCORRECT,
    CANCELLED_BY_CUSTOMER,
    CANCELLED_BY_CARRIER,
    PROHIBITED_GOODS,
    DISPATCHER_DELAY,
    REACTIVATED,
    OTHER
}
