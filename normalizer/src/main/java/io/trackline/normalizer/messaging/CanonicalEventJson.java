package io.trackline.normalizer.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Location;
import io.trackline.events.TracklineJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The JSON of a {@link CanonicalEvent}, written with a Jackson generator field by field: the same bytes as
 * {@code TracklineJson.mapper().writeValueAsBytes(event)} (fields in the record's order, nulls left out, a
 * {@link Location}'s null and empty parts left out, times as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} gives
 * them), without the object mapper's per-value work (serializer lookup, property writers by reflection, a date
 * formatter per time). The normalizer writes one per event, on its hot path; {@code CanonicalEventJsonTest} holds it
 * to the mapper's output, and the events JSON Schema is checked by the ITs on what reaches the topic.
 *
 * <p>A change of {@link CanonicalEvent}'s fields needs a change here: the test fails until it is made.
 */
public final class CanonicalEventJson {

    private static final JsonFactory JSON = TracklineJson.mapper().getFactory();
    private static final SerializableString SCHEMA_VERSION = name("schemaVersion");
    private static final SerializableString EVENT_ID = name("eventId");
    private static final SerializableString SHIPMENT_ID = name("shipmentId");
    private static final SerializableString CARRIER = name("carrier");
    private static final SerializableString ACCOUNT = name("account");
    private static final SerializableString REFERENCE = name("reference");
    private static final SerializableString REFERENCES = name("references");
    private static final SerializableString STATUS = name("status");
    private static final SerializableString REASON = name("reason");
    private static final SerializableString OCCURRED_AT = name("occurredAt");
    private static final SerializableString LOCATION = name("location");
    private static final SerializableString RAW_CODE = name("rawCode");
    private static final SerializableString RAW_TEXT = name("rawText");
    private static final SerializableString RAW_TIME = name("rawTime");
    private static final SerializableString SOURCE = name("source");
    private static final SerializableString ETA = name("eta");
    private static final SerializableString MAPPING_VERSION = name("mappingVersion");
    private static final SerializableString RAW_FIELD = name("rawField");
    private static final SerializableString REVERSAL = name("reversal");
    private static final SerializableString NAME = name("name");
    private static final SerializableString AREA = name("area");
    private static final SerializableString POSTCODE = name("postcode");
    private static final SerializableString ADDRESS = name("address");
    private static final SerializableString LATITUDE = name("latitude");
    private static final SerializableString LONGITUDE = name("longitude");

    private CanonicalEventJson() {}

    /**
     * The event's JSON, UTF-8.
     *
     * @throws JsonProcessingException when Jackson refuses a value (as the mapper would: a permanent failure of the
     *                                 event: the processor parks the record as {@code publish_failed})
     */
    public static byte[] write(CanonicalEvent e) throws JsonProcessingException {
        ByteArrayBuilder out = new ByteArrayBuilder(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName(SCHEMA_VERSION);
            g.writeNumber(e.schemaVersion());
            string(g, EVENT_ID, e.eventId());
            string(g, SHIPMENT_ID, e.shipmentId());
            string(g, CARRIER, e.carrier() == null ? null : e.carrier().id());
            string(g, ACCOUNT, e.account());
            string(g, REFERENCE, e.reference());
            if (e.references() != null) {
                g.writeFieldName(REFERENCES);
                g.writeStartObject();
                for (Map.Entry<String, String> ref : e.references().entrySet()) {
                    g.writeFieldName(ref.getKey());
                    g.writeString(ref.getValue()); // a null value is written as null, as the mapper does
                }
                g.writeEndObject();
            }
            string(g, STATUS, e.status() == null ? null : e.status().name());
            string(g, REASON, e.reason() == null ? null : e.reason().name());
            time(g, OCCURRED_AT, e.occurredAt());
            if (e.location() != null) {
                Location l = e.location();
                g.writeFieldName(LOCATION);
                g.writeStartObject();
                nonEmpty(g, NAME, l.name());
                nonEmpty(g, AREA, l.area());
                nonEmpty(g, POSTCODE, l.postcode());
                nonEmpty(g, ADDRESS, l.address());
                nonEmpty(g, LATITUDE, l.latitude());
                nonEmpty(g, LONGITUDE, l.longitude());
                g.writeEndObject();
            }
            string(g, RAW_CODE, e.rawCode());
            string(g, RAW_TEXT, e.rawText());
            string(g, RAW_TIME, e.rawTime());
            string(g, SOURCE, e.source() == null ? null : e.source().id());
            time(g, ETA, e.eta());
            string(g, MAPPING_VERSION, e.mappingVersion());
            string(g, RAW_FIELD, e.rawField());
            if (e.reversal() != null) {
                g.writeFieldName(REVERSAL);
                g.writeBoolean(e.reversal());
            }
            g.writeEndObject();
        } catch (JsonProcessingException ex) {
            throw ex;
        } catch (IOException ex) {
            throw new UncheckedIOException("writing an event to memory failed", ex);
        }
        return out.toByteArray();
    }

    /**
     * The text {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} gives a time (the JSON's times and the
     * {@code ce_time} header): {@code 2019-02-16T17:30:13+07:00}, the fraction of a second only when there is one
     * and without trailing zeros, {@code Z} for a zero offset. Times of years outside 1000–9999 or with an offset of
     * seconds go through the formatter itself.
     */
    public static String time(OffsetDateTime t) {
        int year = t.getYear();
        int offset = t.getOffset().getTotalSeconds();
        if (year < 1000 || year > 9999 || offset % 60 != 0) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
        }
        char[] c = new char[35];
        int i = 0;
        i = digits(c, i, year, 4);
        c[i++] = '-';
        i = digits(c, i, t.getMonthValue(), 2);
        c[i++] = '-';
        i = digits(c, i, t.getDayOfMonth(), 2);
        c[i++] = 'T';
        i = digits(c, i, t.getHour(), 2);
        c[i++] = ':';
        i = digits(c, i, t.getMinute(), 2);
        c[i++] = ':';
        i = digits(c, i, t.getSecond(), 2);
        int nano = t.getNano();
        if (nano != 0) {
            c[i++] = '.';
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            i = digits(c, i, nano, width);
        }
        if (offset == 0) {
            c[i++] = 'Z';
        } else {
            c[i++] = offset < 0 ? '-' : '+';
            int minutes = Math.abs(offset) / 60;
            i = digits(c, i, minutes / 60, 2);
            c[i++] = ':';
            i = digits(c, i, minutes % 60, 2);
        }
        return new String(c, 0, i);
    }

    /** {@code value} in exactly {@code width} decimal digits, zero-padded. */
    private static int digits(char[] c, int at, int value, int width) {
        for (int p = at + width - 1; p >= at; p--) {
            c[p] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    private static void string(JsonGenerator g, SerializableString name, String value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    private static void nonEmpty(JsonGenerator g, SerializableString name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeFieldName(name);
            g.writeString(value);
        }
    }

    private static void time(JsonGenerator g, SerializableString name, OffsetDateTime value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeString(time(value));
        }
    }

    private static SerializableString name(String name) {
        return new SerializedString(name);
    }
}
