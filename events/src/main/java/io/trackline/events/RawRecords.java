package io.trackline.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The records of {@link Topics#RAW}, written and read: CloudEvents 1.0 in binary mode, the convention of
 * {@link Topics#EVENTS}. The value is the carrier's payload exactly as it came, any bytes (JSON, an HTML error page,
 * text that is not UTF-8), so any Kafka tool shows a callback as it was received; the {@link RawEnvelope}'s fields are
 * CloudEvents attributes in {@code ce_} headers, and its content type is the {@code content-type} header (the Kafka
 * protocol binding's place of {@code datacontenttype}). The key is {@link RawEnvelope#key()}, the shipment id, as it
 * always was: the same partition for the same shipment on the raw and the events topic.
 *
 * <table>
 *   <caption>Headers (all UTF-8 text)</caption>
 *   <tr><td>{@code ce_specversion}</td><td>{@code 1.0}</td></tr>
 *   <tr><td>{@code ce_id}</td><td>{@link #id}: a UUID derived from the content digest and the envelope's other
 *       fields, the same for the same envelope</td></tr>
 *   <tr><td>{@code ce_source}</td><td>{@code /trackline/ingest-webhooks} or {@code /trackline/pollers}, by source
 *       kind</td></tr>
 *   <tr><td>{@code ce_type}</td><td>{@value #CLOUD_EVENT_TYPE}</td></tr>
 *   <tr><td>{@code ce_time}</td><td>received at (RFC 3339)</td></tr>
 *   <tr><td>{@code ce_subject}</td><td>the carrier's shipment reference</td></tr>
 *   <tr><td>{@code content-type}</td><td>the payload's media type as sent</td></tr>
 *   <tr><td>{@code ce_carrier}, {@code ce_account}, {@code ce_sourcekind}, {@code ce_requestid},
 *       {@code ce_contentdigest}</td><td>extensions: carrier id, account, {@code webhook}/{@code poll}, request or
 *       poll id, {@link ContentDigest} of the value</td></tr>
 *   <tr><td>{@code ce_httpheaders}</td><td>extension: the kept request or response headers as a JSON object of
 *       strings (never credentials); absent when there are none</td></tr>
 * </table>
 * The extensions are named like the events topic's {@code ce_mappingversion}: lower-case letters, no prefix. The
 * attributes' JSON Schema is {@code schemas/raw-record.v1.schema.json}.
 *
 * <p>Records written before binary mode (a JSON envelope of schema version 1 or 2 as the value, no {@code ce_}
 * headers) are still read, so that a re-normalization can replay old data.
 */
public final class RawRecords {

    public static final String SPEC_VERSION = "1.0";
    /** CloudEvents {@code type} of every raw record. */
    public static final String CLOUD_EVENT_TYPE = "io.trackline.carrier.payload.v1";
    /** The envelope version of a record in binary mode ({@link RawEnvelope#SCHEMA_VERSION}). */
    public static final int BINARY_MODE_VERSION = 3;

    public static final String SPECVERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    /** {@code datacontenttype} in the Kafka binding's binary mode. */
    public static final String CONTENT_TYPE = "content-type";

    public static final String CARRIER = "ce_carrier";
    public static final String ACCOUNT = "ce_account";
    public static final String SOURCE_KIND = "ce_sourcekind";
    public static final String REQUEST_ID = "ce_requestid";
    public static final String CONTENT_DIGEST = "ce_contentdigest";
    public static final String HTTP_HEADERS = "ce_httpheaders";

    /** {@code ce_source} of a payload that came by webhook. */
    public static final String WEBHOOK_SOURCE = "/trackline/ingest-webhooks";
    /** {@code ce_source} of a payload that a poll fetched. */
    public static final String POLL_SOURCE = "/trackline/pollers";

    private static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final JsonFactory JSON = TracklineJson.mapper().getFactory();
    private static final byte[] SPEC_BYTES = bytes(SPEC_VERSION);
    private static final byte[] TYPE_BYTES = bytes(CLOUD_EVENT_TYPE);
    private static final byte[] WEBHOOK_SOURCE_BYTES = bytes(WEBHOOK_SOURCE);
    private static final byte[] POLL_SOURCE_BYTES = bytes(POLL_SOURCE);
    private static final byte[] NO_VALUE = new byte[0];

    private RawRecords() {}

    /**
     * A raw record read back: the envelope and, only for a version 2 envelope whose payload was embedded as JSON, the
     * payload's tree from the same pass (else null: read the payload bytes).
     */
    public record Decoded(RawEnvelope envelope, JsonNode json) {}

    /** The record of an envelope for {@code topic}: key {@link RawEnvelope#key()}, value the payload, the headers. */
    public static ProducerRecord<String, byte[]> record(String topic, RawEnvelope envelope) {
        return new ProducerRecord<>(topic, null, envelope.key(), value(envelope), headers(envelope));
    }

    /** The record value: the payload's bytes as they are (empty for none). */
    public static byte[] value(RawEnvelope envelope) {
        return envelope.payload() == null ? NO_VALUE : envelope.payload();
    }

    /** The envelope's fields as CloudEvents headers; a field that is null has no header. */
    public static Headers headers(RawEnvelope envelope) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SPECVERSION, SPEC_BYTES);
        headers.add(ID, bytes(id(envelope)));
        headers.add(SOURCE, envelope.source() == Source.POLL ? POLL_SOURCE_BYTES : WEBHOOK_SOURCE_BYTES);
        headers.add(TYPE, TYPE_BYTES);
        if (envelope.receivedAt() != null) {
            headers.add(TIME, bytes(TIME_FORMAT.format(envelope.receivedAt())));
        }
        add(headers, SUBJECT, envelope.shipmentRef());
        add(headers, CONTENT_TYPE, envelope.contentType());
        add(
                headers,
                CARRIER,
                envelope.carrier() == null ? null : envelope.carrier().id());
        add(headers, ACCOUNT, envelope.account());
        add(
                headers,
                SOURCE_KIND,
                envelope.source() == null ? null : envelope.source().id());
        add(headers, REQUEST_ID, envelope.requestId());
        add(headers, CONTENT_DIGEST, envelope.contentDigest());
        if (envelope.headers() != null && !envelope.headers().isEmpty()) {
            headers.add(HTTP_HEADERS, httpHeaders(envelope.headers()));
        }
        return headers;
    }

    /**
     * The {@code ce_id} of an envelope: a UUID (version 8 layout) derived from its {@link ContentDigest}, the SHA-256
     * already computed over the payload, with its carrier, account, source kind, reference, request id and receive
     * time mixed in, so no second hash runs per record. Two receipts of the same callback differ in receive time (and
     * usually request id), so each has its own id; writing one envelope again gives the same id. Envelopes with the
     * same other fields and another payload never share an id: each step of the mix is a bijection of the digest's
     * 128 bits (only the UUID's 6 version and variant bits are overwritten). The mix is not a cryptographic hash; the
     * id needs to be unique, not unguessable.
     */
    public static String id(RawEnvelope e) {
        long h1 = 0x9E3779B97F4A7C15L;
        long h2 = 0xC2B2AE3D27D4EB4FL;
        String digest = e.contentDigest();
        if (digest != null
                && digest.length() >= ContentDigest.PREFIX.length() + 32
                && digest.startsWith(ContentDigest.PREFIX)) {
            int at = ContentDigest.PREFIX.length();
            try {
                h1 = Long.parseUnsignedLong(digest, at, at + 16, 16);
                h2 = Long.parseUnsignedLong(digest, at + 16, at + 32, 16);
            } catch (NumberFormatException notHex) {
                h1 = mix(h1, digest);
            }
        } else {
            h1 = mix(h1, digest);
        }
        h1 = mix(h1, e.carrier() == null ? null : e.carrier().id());
        h1 = mix(h1, e.account());
        h1 = mix(h1, e.source() == null ? null : e.source().id());
        h2 = mix(h2, e.shipmentRef());
        h2 = mix(h2, e.requestId());
        if (e.receivedAt() != null) {
            h2 = fmix(h2 ^ e.receivedAt().toEpochSecond()) * FNV_PRIME;
            h2 = fmix(h2 ^ e.receivedAt().getNano()) * FNV_PRIME;
        }
        long msb = fmix(h1 ^ Long.rotateLeft(h2, 31));
        long lsb = fmix(h2 ^ msb);
        msb = (msb & ~0xF000L) | 0x8000L; // version 8: custom, name-based
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(msb, lsb).toString();
    }

    private static final long FNV_PRIME = 0x100000001B3L;

    /** FNV-1a of a field's characters into {@code h}, then its length (so "ab"+"c" is not "a"+"bc"); null is -1. */
    private static long mix(long h, String field) {
        if (field == null) {
            return fmix(h ^ -1L) * FNV_PRIME;
        }
        for (int i = 0; i < field.length(); i++) {
            h = (h ^ field.charAt(i)) * FNV_PRIME;
        }
        return fmix(h ^ field.length()) * FNV_PRIME;
    }

    /** MurmurHash3's 64-bit finalizer: a bijection that spreads every input bit over the output. */
    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        k *= 0xC4CEB9FE1A85EC53L;
        k ^= k >>> 33;
        return k;
    }

    /** True when the record declares CloudEvents binary mode: it has a {@code ce_specversion} header. */
    public static boolean isBinaryMode(Headers headers) {
        return headers != null && headers.lastHeader(SPECVERSION) != null;
    }

    /**
     * Reads a record of {@link Topics#RAW}: binary mode when it has a {@code ce_specversion} header, else a JSON
     * envelope of version 1 or 2 as the value.
     *
     * @throws InvalidRawRecordException when the record is neither: binary mode with attributes that are missing,
     *                                   not UTF-8 or not Trackline's (spec version, type, carrier, time, source
     *                                   kind, HTTP headers), or a value that is no JSON envelope with carrier and
     *                                   payload; a missing value (a tombstone) in either form
     */
    public static Decoded read(Headers headers, byte[] value) throws InvalidRawRecordException {
        if (value == null) {
            throw new InvalidRawRecordException("raw record has no value");
        }
        return isBinaryMode(headers) ? readBinary(headers, value) : readEnvelope(value);
    }

    private static Decoded readBinary(Headers headers, byte[] value) throws InvalidRawRecordException {
        String spec = null;
        String id = null;
        String source = null;
        String type = null;
        String time = null;
        String subject = null;
        String contentType = null;
        String carrier = null;
        String account = null;
        String sourceKind = null;
        String requestId = null;
        String digest = null;
        String httpHeaders = null;
        for (Header h : headers) { // the last header of a name counts, as lastHeader has it
            switch (h.key()) {
                case SPECVERSION -> spec = text(h);
                case ID -> id = text(h);
                case SOURCE -> source = text(h);
                case TYPE -> type = text(h);
                case TIME -> time = text(h);
                case SUBJECT -> subject = text(h);
                case CONTENT_TYPE -> contentType = text(h);
                case CARRIER -> carrier = text(h);
                case ACCOUNT -> account = text(h);
                case SOURCE_KIND -> sourceKind = text(h);
                case REQUEST_ID -> requestId = text(h);
                case CONTENT_DIGEST -> digest = text(h);
                case HTTP_HEADERS -> httpHeaders = text(h);
                default -> {
                    // not an attribute of ours (a tracing header, a test's marker): kept on the record, not read
                }
            }
        }
        if (!SPEC_VERSION.equals(spec)) {
            throw new InvalidRawRecordException("raw record has ce_specversion '" + brief(spec) + "', not 1.0");
        }
        if (!CLOUD_EVENT_TYPE.equals(type)) {
            throw new InvalidRawRecordException(
                    "raw record has ce_type '" + brief(type) + "', not " + CLOUD_EVENT_TYPE);
        }
        if (id == null || id.isEmpty() || source == null || source.isEmpty()) {
            throw new InvalidRawRecordException("raw record has no ce_id or ce_source");
        }
        Carrier c = carrier == null ? null : Carrier.find(carrier).orElse(null);
        if (c == null) {
            throw new InvalidRawRecordException("raw record has no known ce_carrier: '" + brief(carrier) + "'");
        }
        Source kind = null;
        if (sourceKind != null) {
            kind = sourceKind(sourceKind);
            if (kind == null) {
                throw new InvalidRawRecordException(
                        "raw record has ce_sourcekind '" + brief(sourceKind) + "', not webhook or poll");
            }
        }
        return new Decoded(
                new RawEnvelope(
                        BINARY_MODE_VERSION,
                        c,
                        account,
                        kind,
                        subject,
                        time(time),
                        requestId,
                        contentType,
                        httpHeaders == null ? Map.of() : httpHeaders(httpHeaders),
                        digest,
                        value),
                null);
    }

    private static Decoded readEnvelope(byte[] value) throws InvalidRawRecordException {
        if (!RawEnvelope.isUtf8JsonText(value)) {
            // Jackson would take 0x00 bytes for UTF-16 or UTF-32 and read on: an envelope is UTF-8 JSON, always.
            throw new InvalidRawRecordException(
                    "raw record has no ce_specversion header and is not a Trackline envelope: not UTF-8 JSON text");
        }
        Decoded decoded;
        try {
            // One pass over the record's bytes: the envelope's fields and the embedded payload's tree.
            decoded = JsonEnvelopeReader.decode(value);
        } catch (IOException | RuntimeException e) {
            throw new InvalidRawRecordException(
                    "raw record has no ce_specversion header and is not a Trackline " + "envelope: "
                            + e.getClass().getSimpleName(),
                    e);
        }
        if (decoded.envelope().payload() == null || decoded.envelope().carrier() == null) {
            throw new InvalidRawRecordException("raw envelope has no carrier or payload");
        }
        return decoded;
    }

    private static void add(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, bytes(value));
        }
    }

    private static byte[] httpHeaders(Map<String, String> headers) {
        ByteArrayBuilder out = new ByteArrayBuilder(64 * headers.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> header : headers.entrySet()) {
                g.writeStringField(header.getKey(), header.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing headers to memory failed", e);
        }
        return out.toByteArray();
    }

    private static Map<String, String> httpHeaders(String json) throws InvalidRawRecordException {
        Map<String, String> headers = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRawRecordException("raw record's ce_httpheaders is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw new InvalidRawRecordException("raw record's ce_httpheaders holds a value that is no string");
                }
                headers.put(name, p.getText());
            }
            if (p.nextToken() != null) {
                throw new InvalidRawRecordException("raw record's ce_httpheaders is not one JSON object");
            }
        } catch (IOException e) {
            throw new InvalidRawRecordException(
                    "raw record's ce_httpheaders is not JSON: " + e.getClass().getSimpleName(), e);
        }
        return Map.copyOf(headers);
    }

    private static OffsetDateTime time(String text) throws InvalidRawRecordException {
        if (text == null) {
            return null;
        }
        OffsetDateTime fast = IsoTimes.offsetDateTime(text);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeException e) {
            throw new InvalidRawRecordException(
                    "raw record's ce_time '" + brief(text) + "' is not an RFC 3339 time", e);
        }
    }

    private static Source sourceKind(String id) {
        for (Source s : Source.values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** A header's value as text; a value that is not well-formed UTF-8 makes the record invalid. */
    private static String text(Header h) throws InvalidRawRecordException {
        byte[] value = h.value();
        if (value == null) {
            return null;
        }
        if (!RawEnvelope.isWellFormedUtf8(value)) {
            throw new InvalidRawRecordException("raw record's header " + h.key() + " is not UTF-8");
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    /** A header value quoted in a reason: short, so that a hostile header does not make the dead letter large. */
    private static String brief(String text) {
        return text == null ? "" : text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
