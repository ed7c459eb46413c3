package io.trackline.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Stable event ids: a name-based UUID (SHA-256, version 8 layout) of the shipment, the key of the fact (what makes
 * the carrier's fact itself: field, code, separate reason code) and the instant of the fact. The same fact seen by webhook and by poll, or re-read after a restart, gets
 * the same id; the mapping version is deliberately not part of it, so a re-normalized event replaces the
 * old one downstream instead of adding to it.
 */
public final class EventIds {

    private EventIds() {}

    /**
     * The id of one fact.
     *
     * @param shipmentId the shipment ({@link ShipmentIds#of})
     * @param factKey    what makes the fact itself, as the normalizer writes it ({@code Normalizer.factKey}): the
     *                   carrier field and its code, plus the field and code of a separate reason if there is one,
     *                   e.g. {@code order.status=completed} or {@code status=DELAY;delayCode=26}. Not the raw code
     *                   alone: the same code in two fields, or with two reasons, is two facts
     * @param occurredAt when it happened; only the instant counts, not the offset
     */
    public static String of(String shipmentId, String factKey, OffsetDateTime occurredAt) {
        String name = shipmentId + '|' + factKey + '|' + occurredAt.toInstant();
        byte[] hash = sha256(name.getBytes(StandardCharsets.UTF_8));
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
        }
        for (int i = 8; i < 16; i++) {
            lsb = (lsb << 8) | (hash[i] & 0xff);
        }
        msb = (msb & ~0xF000L) | 0x8000L; // version 8: custom, name-based
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
