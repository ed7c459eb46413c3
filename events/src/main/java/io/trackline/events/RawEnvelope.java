package io.trackline.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A carrier payload exactly as it arrived, with where, when and how it came: a record of {@link Topics#RAW}, written
 * and read by {@link RawRecords} (the payload is the record's value, the other fields its CloudEvents headers).
 *
 * @param schemaVersion  the record form it was read from ({@link #SCHEMA_VERSION}): 3 is CloudEvents binary mode;
 *                       1 and 2 were JSON envelopes as the value, the payload an escaped JSON string in version 1,
 *                       embedded as it came in version 2
 * @param carrier        the carrier that sent or served the payload
 * @param account        Trackline's name for the carrier account
 * @param source         webhook or poll
 * @param shipmentRef    the carrier's reference of the shipment (MrSpeedy order id, all24 tracking number, ...)
 * @param receivedAt     when Trackline received the payload
 * @param requestId      id of the HTTP request (webhook) or poll that brought it
 * @param contentType    the payload's media type as sent
 * @param headers        selected request or response headers (never credentials)
 * @param contentDigest  {@link ContentDigest} of the payload bytes
 * @param payload        the payload bytes exactly as received: never re-serialized
 */
public record RawEnvelope(
        int schemaVersion,
        Carrier carrier,
        String account,
        Source source,
        String shipmentRef,
        OffsetDateTime receivedAt,
        String requestId,
        String contentType,
        Map<String, String> headers,
        String contentDigest,
        byte[] payload) {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The version {@link RawRecords} writes (binary mode); it reads this one and every earlier one. */
    public static final int SCHEMA_VERSION = RawRecords.BINARY_MODE_VERSION;

    public static RawEnvelope of(
            Carrier carrier,
            String account,
            Source source,
            String shipmentRef,
            OffsetDateTime receivedAt,
            String requestId,
            String contentType,
            Map<String, String> headers,
            byte[] payload) {
        return new RawEnvelope(
                SCHEMA_VERSION,
                carrier,
                account,
                source,
                shipmentRef,
                receivedAt,
                requestId,
                contentType,
                headers == null ? Map.of() : Map.copyOf(headers),
                ContentDigest.of(payload),
                payload);
    }

    /** The payload decoded as UTF-8 (malformed sequences replaced): for reading and logging, not for storing. */
    public String payloadText() {
        return payload == null ? null : new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawEnvelope e
                && schemaVersion == e.schemaVersion
                && carrier == e.carrier
                && source == e.source
                && Objects.equals(account, e.account)
                && Objects.equals(shipmentRef, e.shipmentRef)
                && Objects.equals(receivedAt, e.receivedAt)
                && Objects.equals(requestId, e.requestId)
                && Objects.equals(contentType, e.contentType)
                && Objects.equals(headers, e.headers)
                && Objects.equals(contentDigest, e.contentDigest)
                && Arrays.equals(payload, e.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                schemaVersion,
                carrier,
                account,
                source,
                shipmentRef,
                receivedAt,
                requestId,
                contentType,
                headers,
                contentDigest,
                Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        // Never the payload: it may hold personal data (names, phone numbers, addresses).
        return "RawEnvelope[" + key() + ", source=" + source + ", requestId=" + requestId + ", receivedAt=" + receivedAt
                + ", " + (payload == null ? 0 : payload.length) + " bytes, " + contentDigest + "]";
    }

    /** Well-formed UTF-8 as the Unicode standard defines it (table 3-7): no overlong forms, surrogates or > U+10FFFF. */
    public static boolean isWellFormedUtf8(byte[] b) {
        return scanUtf8(b, false);
    }

    /**
     * Bytes that can be JSON text in UTF-8 (RFC 8259): well-formed UTF-8 ({@link #isWellFormedUtf8}) without any C0
     * control byte other than tab, line feed and carriage return, which JSON allows only as whitespace and requires
     * escaped inside strings. UTF-16 and UTF-32 text always holds such bytes (0x00 in every ASCII character), so it
     * fails here even where its bytes happen to be well-formed UTF-8; and bytes that pass leave Jackson's encoding
     * detection (which looks for 0x00 bytes and UTF-16/32 byte order marks) nothing to pick but UTF-8.
     */
    public static boolean isUtf8JsonText(byte[] b) {
        return scanUtf8(b, true);
    }

    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;

    private static boolean scanUtf8(byte[] b, boolean json) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            // ASCII runs (JSON's punctuation, names, numbers) eight bytes at a time; for JSON, only runs without a
            // byte below 0x20 (x - 0x20.. borrows into a byte's high bit exactly when some byte is below 0x20)
            while (i + 8 <= n) {
                long x = (long) LONGS.get(b, i);
                if ((x & HIGH_BITS) != 0 || (json && ((x - SPACES) & ~x & HIGH_BITS) != 0)) {
                    break;
                }
                i += 8;
            }
            if (i >= n) {
                break;
            }
            int c = b[i] & 0xff;
            if (c < 0x80) {
                if (json && c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                    return false;
                }
                i++;
                continue;
            }
            int length;
            int lo = 0x80;
            int hi = 0xbf;
            if (c >= 0xc2 && c <= 0xdf) {
                length = 2;
            } else if (c >= 0xe0 && c <= 0xef) {
                length = 3;
                if (c == 0xe0) {
                    lo = 0xa0;
                } else if (c == 0xed) {
                    hi = 0x9f;
                }
            } else if (c >= 0xf0 && c <= 0xf4) {
                length = 4;
                if (c == 0xf0) {
                    lo = 0x90;
                } else if (c == 0xf4) {
                    hi = 0x8f;
                }
            } else {
                return false;
            }
            if (i + length > n) {
                return false;
            }
            int second = b[i + 1] & 0xff;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k < length; k++) {
                int next = b[i + k] & 0xff;
                if (next < 0x80 || next > 0xbf) {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }

    /** The Kafka key: the canonical shipment id. */
    public String key() {
        return ShipmentIds.of(carrier, account, shipmentRef);
    }
}
