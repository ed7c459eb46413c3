package io.trackline.events;

import java.util.regex.Pattern;

/**
 * The canonical shipment id: {@code carrier:account:reference}. It is stable (derived only from what the
 * carrier and the configuration say), readable, and it is the key of both the raw and the events topic, so
 * one shipment's history stays on one partition end to end.
 */
public final class ShipmentIds {

    /** Account names are configuration keys and path segments. */
    public static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private ShipmentIds() {}

    public static String of(Carrier carrier, String account, String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("shipment reference is required");
        }
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new IllegalArgumentException("invalid account name");
        }
        return carrier.id() + ':' + account + ':' + reference.strip();
    }
}
