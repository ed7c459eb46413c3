package io.trackline.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A carrier payload exactly as it arrived, with where, when and how it came. Value of {@link Topics#RAW}.
 *
 * @param schemaVersion  version of this envelope's shape ({@link #SCHEMA_VERSION})
 * @param carrier        the carrier that sent or served the payload
 * @param account        Trackline's name for the carrier account
 * @param source         webhook or poll
 * @param shipmentRef    the carrier's reference of the shipment (MrSpeedy order id, all24 tracking number, ...)
 * @param receivedAt     when Trackline received the payload
 * @param requestId      id of the HTTP request (webhook) or poll that brought it
 * @param contentType    the payload's media type as sent
 * @param headers        selected request or response headers (never credentials)
 * @param contentDigest  {@link ContentDigest} of the payload bytes
 * @param payload        the payload text, byte-exact (UTF-8): never re-serialized
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        String payload) {

    public static final int SCHEMA_VERSION = 1;

    public static RawEnvelope of(Carrier carrier, String account, Source source, String shipmentRef,
            OffsetDateTime receivedAt, String requestId, String contentType, Map<String, String> headers,
            byte[] payload) {
        return new RawEnvelope(SCHEMA_VERSION, carrier, account, source, shipmentRef, receivedAt, requestId,
                contentType, headers == null ? Map.of() : Map.copyOf(headers), ContentDigest.of(payload),
                new String(payload, StandardCharsets.UTF_8));
    }

    /**
     * Like {@link #of}, for a caller that has already decoded the payload: {@code payloadText} must be
     * {@code payload} decoded as UTF-8 (see {@link #strictUtf8(byte[])}), which saves decoding it twice.
     */
    public static RawEnvelope of(Carrier carrier, String account, Source source, String shipmentRef,
            OffsetDateTime receivedAt, String requestId, String contentType, Map<String, String> headers,
            byte[] payload, String payloadText) {
        return new RawEnvelope(SCHEMA_VERSION, carrier, account, source, shipmentRef, receivedAt, requestId,
                contentType, headers == null ? Map.of() : Map.copyOf(headers), ContentDigest.of(payload),
                payloadText);
    }

    /**
     * The bytes as text when they are well-formed UTF-8, else empty: the envelope keeps the payload as text, so only
     * UTF-8 payloads can be kept byte-exact. (Decoding replaces malformed input; encoding the text again gives the
     * same bytes exactly when there was none.)
     */
    public static Optional<String> strictUtf8(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)
                ? Optional.of(text) : Optional.empty();
    }

    /** The Kafka key: the canonical shipment id. */
    public String key() {
        return ShipmentIds.of(carrier, account, shipmentRef);
    }

    public byte[] payloadBytes() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }
}
