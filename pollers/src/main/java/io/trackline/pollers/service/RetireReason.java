package io.trackline.pollers.service;

import java.util.Locale;

/** Why a subscription is no longer polled (the {@code reason} tag of {@code trackline.pollers.subscriptions.retired}). */
public enum RetireReason {
    /** The shipment reached a final status (learned from trackline.events.v1). */
    FINAL_STATUS,
    /** No news for {@code trackline.pollers.scheduling.max-age} since it was subscribed or last brought news. */
    MAX_AGE,
    /** The carrier still did not know the reference {@code unknown-reference.retire-after} after the first miss. */
    NOT_FOUND,
    /** The carrier kept refusing the reference (malformed, another account's) for {@code rejected-reference.retire-after}. */
    REJECTED;

    /** The lower-case name used in the database and in metrics. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RetireReason fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
