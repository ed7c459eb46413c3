package io.trackline.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader of the JSON envelopes that {@link Topics#RAW} held before it used CloudEvents binary mode
 * ({@link RawRecords}): a JSON object of the envelope's fields and the payload, so that a re-normalization can replay
 * old records. Nothing writes them any more.
 * <ul>
 *   <li>Version 2: {@code "payload": <the JSON text, byte for byte>} when the payload was one JSON value in UTF-8,
 *       embedded as it came; its exact bytes are recovered from the record's bytes between the payload's
 *       {@code :} and the delimiter after its value, and its tree comes with the envelope from the same pass
 *       ({@link RawRecords.Decoded#json()}). Other UTF-8 text was {@code "payloadText": "<escaped string>"},
 *       other bytes {@code "payloadBase64": "..."}.</li>
 *   <li>Version 1: every payload as an escaped JSON string in {@code payload}.</li>
 * </ul>
 * The JSON Schema of both is {@code schemas/raw-envelope.v1.schema.json}.
 */
final class JsonEnvelopeReader {

    static final String PAYLOAD = "payload";
    static final String PAYLOAD_TEXT = "payloadText";
    static final String PAYLOAD_BASE64 = "payloadBase64";

    private static final ObjectMapper MAPPER = TracklineJson.mapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonEnvelopeReader() {}

    /**
     * Reads a version 1 or 2 envelope: the envelope and, when its payload was embedded as JSON (version 2), the
     * payload's tree (else null).
     *
     * @throws IOException when the value is not one JSON object (fields that are missing stay null)
     */
    static RawRecords.Decoded decode(byte[] value) throws IOException {
        int version = 0;
        Carrier carrier = null;
        Source source = null;
        String account = null;
        String shipmentRef = null;
        String requestId = null;
        String contentType = null;
        String contentDigest = null;
        OffsetDateTime receivedAt = null;
        Map<String, String> headers = Map.of();
        byte[] payload = null;
        JsonNode json = null;
        String textPayload = null; // a string in "payload": the payload itself in version 1, a JSON string after
        int payloadStart = -1; // just after the ':' of "payload", until the delimiter after its value is seen
        try (JsonParser p = FACTORY.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a raw envelope is a JSON object");
            }
            JsonToken token = p.nextToken();
            while (token == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                // where the payload's name stands, before the parser moves on to its value
                int nameAt =
                        PAYLOAD.equals(name) ? (int) p.currentTokenLocation().getByteOffset() : -1;
                JsonToken valueToken = p.nextToken();
                switch (name) {
                    case "schemaVersion" -> version = valueToken.isNumeric() ? p.getIntValue() : 0;
                    case "carrier" -> carrier = Carrier.find(text(p)).orElse(null);
                    case "account" -> account = text(p);
                    case "source" -> source = source(text(p));
                    case "shipmentRef" -> shipmentRef = text(p);
                    case "receivedAt" -> receivedAt = time(text(p));
                    case "requestId" -> requestId = text(p);
                    case "contentType" -> contentType = text(p);
                    case "contentDigest" -> contentDigest = text(p);
                    case "headers" -> headers = headers(p);
                    case PAYLOAD_TEXT -> payload = bytes(text(p));
                    case PAYLOAD_BASE64 -> payload = valueToken == JsonToken.VALUE_STRING ? p.getBinaryValue() : null;
                    case PAYLOAD -> {
                        if (valueToken == JsonToken.VALUE_STRING) {
                            textPayload = p.getText();
                            json = TextNode.valueOf(textPayload);
                        } else {
                            json = MAPPER.readTree(p);
                        }
                        payloadStart = indexOf(value, (byte) ':', nameAt) + 1;
                    }
                    default -> p.skipChildren();
                }
                token = p.nextToken();
                if (payloadStart > 0) {
                    // The payload's bytes run from its ':' to the delimiter after its value: ',' or the envelope's '}'.
                    int delimiterAt = (int) p.currentTokenLocation().getByteOffset();
                    int end = lastIndexOf(value, token == JsonToken.END_OBJECT ? (byte) '}' : (byte) ',', delimiterAt);
                    payload = Arrays.copyOfRange(value, payloadStart, Math.max(payloadStart, end));
                    payloadStart = -1;
                }
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("a raw envelope is one JSON object");
            }
        }
        if (version < 2 && textPayload != null) {
            payload = bytes(textPayload);
            json = null;
        }
        return new RawRecords.Decoded(
                new RawEnvelope(
                        version,
                        carrier,
                        account,
                        source,
                        shipmentRef,
                        receivedAt,
                        requestId,
                        contentType,
                        headers,
                        contentDigest,
                        payload),
                json);
    }

    private static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL
                ? null
                : p.currentToken().isScalarValue() ? p.getText() : skipped(p);
    }

    private static String skipped(JsonParser p) throws IOException {
        p.skipChildren();
        return null;
    }

    private static Source source(String id) {
        for (Source s : Source.values()) {
            if (s.id().equalsIgnoreCase(id)) {
                return s;
            }
        }
        return null;
    }

    private static OffsetDateTime time(String text) {
        try {
            if (text == null) {
                return null;
            }
            OffsetDateTime fast = IsoTimes.offsetDateTime(text);
            return fast != null ? fast : OffsetDateTime.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Map<String, String> headers(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            String value = text(p);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] value, byte b, int from) {
        for (int i = Math.max(0, from); i < value.length; i++) {
            if (value[i] == b) {
                return i;
            }
        }
        return value.length;
    }

    private static int lastIndexOf(byte[] value, byte b, int from) {
        for (int i = Math.min(from, value.length - 1); i >= 0; i--) {
            if (value[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
