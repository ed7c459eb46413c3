package io.trackline.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire form of {@link RawEnvelope} on {@link Topics#RAW}: a JSON object of the envelope's fields, and the payload
 * in one of three forms.
 * <ul>
 *   <li>{@code "payload": <the JSON text, byte for byte>} when the payload is one JSON value in UTF-8 (every webhook
 *       callback, every JSON carrier response): embedded as it came, whitespace included, never re-serialized, so a
 *       reader gets both the tree (one parse of the record) and the exact bytes ({@link Decoded#envelope()});</li>
 *   <li>{@code "payloadText": "<escaped string>"} for other UTF-8 text (an HTML error page of a carrier);</li>
 *   <li>{@code "payloadBase64": "..."} for bytes that are not UTF-8.</li>
 * </ul>
 * The payload field is written last. Version 1 envelopes (payload as an escaped JSON string in {@code payload}) are
 * still read, so a re-normalization can replay old records.
 */
public final class RawEnvelopes {

    public static final String PAYLOAD = "payload";
    public static final String PAYLOAD_TEXT = "payloadText";
    public static final String PAYLOAD_BASE64 = "payloadBase64";

    private static final ObjectMapper MAPPER = TracklineJson.mapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private RawEnvelopes() {
    }

    /** A raw record read back: the envelope and, when its payload is JSON, the payload's tree (else null). */
    public record Decoded(RawEnvelope envelope, JsonNode json) {
    }

    /** The envelope as a record value; checks itself whether the payload can be embedded as JSON. */
    public static byte[] encode(RawEnvelope envelope) {
        return encode(envelope, isJson(envelope.payload()));
    }

    /**
     * The envelope as a record value.
     *
     * @param payloadIsJson the caller has checked that the payload is exactly one JSON value in well-formed UTF-8
     *                      ({@link #isJson} does that); it is then embedded byte for byte, unless it starts with a
     *                      byte order mark, which cannot stand inside the envelope (then it is kept as text)
     */
    public static byte[] encode(RawEnvelope envelope, boolean payloadIsJson) {
        byte[] payload = envelope.payload() == null ? new byte[0] : envelope.payload();
        ByteArrayBuilder out = new ByteArrayBuilder(payload.length + 512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", RawEnvelope.SCHEMA_VERSION);
            writeString(g, "carrier", envelope.carrier() == null ? null : envelope.carrier().id());
            writeString(g, "account", envelope.account());
            writeString(g, "source", envelope.source() == null ? null : envelope.source().id());
            writeString(g, "shipmentRef", envelope.shipmentRef());
            writeString(g, "receivedAt", envelope.receivedAt() == null ? null : TIME.format(envelope.receivedAt()));
            writeString(g, "requestId", envelope.requestId());
            writeString(g, "contentType", envelope.contentType());
            if (envelope.headers() != null) {
                g.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> header : envelope.headers().entrySet()) {
                    g.writeStringField(header.getKey(), header.getValue());
                }
                g.writeEndObject();
            }
            writeString(g, "contentDigest", envelope.contentDigest());
            if (payloadIsJson && !startsWithByteOrderMark(payload)) {
                g.writeFieldName(PAYLOAD);
                g.writeRawValue(new RawUtf8(payload));
            } else if (RawEnvelope.isWellFormedUtf8(payload)) {
                g.writeFieldName(PAYLOAD_TEXT);
                g.writeUTF8String(payload, 0, payload.length);
            } else {
                g.writeFieldName(PAYLOAD_BASE64);
                g.writeBinary(payload);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing a raw envelope to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * True when the bytes are exactly one JSON value in well-formed UTF-8 without a byte order mark. Bytes with a
     * control byte JSON text cannot hold (UTF-16 or UTF-32 text, whose 0x00 bytes Jackson would take as a sign of
     * that encoding) are not: {@link RawEnvelope#isUtf8JsonText}.
     */
    public static boolean isJson(byte[] payload) {
        if (payload == null || payload.length == 0 || !RawEnvelope.isUtf8JsonText(payload)
                || startsWithByteOrderMark(payload)) {
            return false;
        }
        try (JsonParser p = FACTORY.createParser(payload)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean startsWithByteOrderMark(byte[] payload) {
        return payload.length >= 3 && (payload[0] & 0xff) == 0xef && (payload[1] & 0xff) == 0xbb
                && (payload[2] & 0xff) == 0xbf;
    }

    /**
     * Reads a record value of {@link Topics#RAW}, any schema version.
     *
     * @throws IOException when the value is not a JSON object (fields that are missing stay null)
     */
    public static Decoded decode(byte[] value) throws IOException {
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
                int nameAt = PAYLOAD.equals(name) ? (int) p.currentTokenLocation().getByteOffset() : -1;
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
        return new Decoded(new RawEnvelope(version, carrier, account, source, shipmentRef, receivedAt, requestId,
                contentType, headers, contentDigest, payload), json);
    }

    private static void writeString(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static String text(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : p.currentToken().isScalarValue() ? p.getText()
                : skipped(p);
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

    /** Bytes the generator copies as they are (its {@code writeRawValue}). */
    private record RawUtf8(byte[] bytes) implements SerializableString {

        @Override
        public String getValue() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public char[] asQuotedChars() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return bytes;
        }

        @Override
        public byte[] asQuotedUTF8() {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + bytes.length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, bytes.length);
            return bytes.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String s = getValue();
            if (offset + s.length() > buffer.length) {
                return -1;
            }
            s.getChars(0, s.length(), buffer, offset);
            return s.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            throw new UnsupportedOperationException("raw JSON is written unquoted");
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < bytes.length) {
                return -1;
            }
            buffer.put(bytes);
            return bytes.length;
        }
    }
}
