package io.trackline.normalizer.messaging;

import io.trackline.events.CanonicalEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents 1.0 attributes of a canonical event in binary mode, as {@code ce_*} headers (and
 * {@code content-type}), exactly as SmallRye's binary mode writes them: {@code ce_specversion}, {@code ce_id},
 * {@code ce_source}, {@code ce_type}, {@code content-type}, {@code ce_dataschema}, {@code ce_subject},
 * {@code ce_time}, {@code ce_mappingversion}.
 */
final class CloudEventHeaders {

    static final String SPEC_VERSION = "1.0";
    private static final byte[] SPEC = bytes(SPEC_VERSION);
    private static final byte[] SOURCE = bytes(NormalizeProcessor.SOURCE.toString());
    private static final byte[] TYPE = bytes(CanonicalEvent.CLOUD_EVENT_TYPE);
    private static final byte[] DATA_SCHEMA = bytes(CanonicalEvent.DATA_SCHEMA);
    private static final byte[] JSON = bytes("application/json");

    private CloudEventHeaders() {}

    static RecordHeaders of(CanonicalEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", SPEC);
        headers.add("ce_id", bytes(event.eventId()));
        headers.add("ce_source", SOURCE);
        headers.add("ce_type", TYPE);
        headers.add("content-type", JSON);
        headers.add("ce_dataschema", DATA_SCHEMA);
        headers.add("ce_subject", bytes(event.shipmentId()));
        headers.add("ce_time", bytes(CanonicalEventJson.time(event.occurredAt())));
        headers.add("ce_" + CanonicalEvent.MAPPING_VERSION_EXTENSION, bytes(event.mappingVersion()));
        return headers;
    }

    static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
