package io.trackline.normalizer.carrier;

import io.trackline.events.Location;
import java.time.OffsetDateTime;
import java.util.Map;

/**
 * One fact as the carrier states it, before mapping.
 *
 * @param reference   the carrier's primary reference of the shipment (the shipment id is derived from it)
 * @param references  every reference the payload names ({@link io.trackline.events.ReferenceKeys})
 * @param field       which carrier field the code comes from (a mapping table key, e.g. {@code order.status})
 * @param code        the carrier's code in that field
 * @param text        the carrier's text for it, if any
 * @param occurredAt  when it happened, with the offset of the place
 * @param rawTime     the carrier's time text as sent
 * @param location    where, if the carrier says
 * @param eta         estimated delivery, if the carrier says
 * @param reasonField the carrier field of a separate reason code (e.g. 247Express {@code delayCode}), or null
 * @param reasonCode  the carrier's reason code in that field, or null
 * @param state       true when the code is the shipment's current state rather than a dated event (MrSpeedy's order
 *                    status, 247Express's top-level status): such a fact is emitted only when it changes the
 *                    shipment's last known code of that field, because the carrier repeats it on every callback or
 *                    poll with a different time
 */
public record CarrierFact(
        String reference,
        Map<String, String> references,
        String field,
        String code,
        String text,
        OffsetDateTime occurredAt,
        String rawTime,
        Location location,
        OffsetDateTime eta,
        String reasonField,
        String reasonCode,
        boolean state) {

    /** A dated event whose code carries its own reason, if any. */
    public CarrierFact(String reference, Map<String, String> references, String field, String code, String text,
            OffsetDateTime occurredAt, String rawTime, Location location, OffsetDateTime eta) {
        this(reference, references, field, code, text, occurredAt, rawTime, location, eta, null, null, false);
    }
}
