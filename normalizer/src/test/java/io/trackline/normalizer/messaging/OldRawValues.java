package io.trackline.normalizer.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trackline.events.RawEnvelope;
import io.trackline.events.TracklineJson;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Raw record values as the raw topic held them before CloudEvents binary mode, for tests of old data: a JSON
 * envelope in the shape of version 1 (the payload as an escaped string) or version 2 (a JSON payload embedded byte
 * for byte, last), without headers. {@code events}' RawRecordsTest reads values the version 2 encoder wrote.
 */
final class OldRawValues {

    private OldRawValues() {}

    /** Version 2 of a JSON payload: the envelope's fields, then {@code "payload":} and the payload's bytes. */
    static byte[] versionTwo(RawEnvelope envelope) {
        String fields = fields(envelope, 2).toString();
        byte[] head = (fields.substring(0, fields.length() - 1) + ",\"payload\":").getBytes(StandardCharsets.UTF_8);
        byte[] value = Arrays.copyOf(head, head.length + envelope.payload().length + 1);
        System.arraycopy(envelope.payload(), 0, value, head.length, envelope.payload().length);
        value[value.length - 1] = '}';
        return value;
    }

    /** Version 1: the payload as an escaped JSON string. */
    static byte[] versionOne(RawEnvelope envelope) {
        ObjectNode fields = fields(envelope, 1);
        fields.put("payload", envelope.payloadText());
        return fields.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode fields(RawEnvelope e, int version) {
        ObjectNode o = TracklineJson.mapper().createObjectNode();
        o.put("schemaVersion", version);
        o.put("carrier", e.carrier().id());
        o.put("account", e.account());
        o.put("source", e.source().id());
        o.put("shipmentRef", e.shipmentRef());
        o.put("receivedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(e.receivedAt()));
        o.put("requestId", e.requestId());
        o.put("contentType", e.contentType());
        ObjectNode headers = o.putObject("headers");
        e.headers().forEach(headers::put);
        o.put("contentDigest", e.contentDigest());
        return o;
    }
}
