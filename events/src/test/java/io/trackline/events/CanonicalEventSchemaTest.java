package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CanonicalEventSchemaTest {

    static JsonSchema schema(String name) throws Exception {
        try (InputStream in = CanonicalEvent.class.getResourceAsStream("/schemas/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    static CanonicalEvent sample() {
        String shipment = ShipmentIds.of(Carrier.MRSPEEDY, "demo", "1250032");
        OffsetDateTime at = OffsetDateTime.parse("2019-02-16T17:30:13+07:00");
        return new CanonicalEvent(CanonicalEvent.SCHEMA_VERSION, EventIds.of(shipment, "available", at), shipment,
                Carrier.MRSPEEDY, "demo", "1250032", Map.of(ReferenceKeys.MRSPEEDY_ORDER_ID, "1250032"),
                CanonicalStatus.INFO_RECEIVED, null, at, null, "available", "Order was verified", null,
                Source.WEBHOOK, null, "mrspeedy-1");
    }

    @Test
    void serializedEventMatchesItsSchema() throws Exception {
        JsonNode json = TracklineJson.mapper().valueToTree(sample());
        Set<ValidationMessage> errors = schema("canonical-event.v1.schema.json").validate(json);
        assertThat(errors).isEmpty();
        assertThat(json.get("occurredAt").asText()).isEqualTo("2019-02-16T17:30:13+07:00");
        assertThat(json.get("carrier").asText()).isEqualTo("mrspeedy");
    }

    @Test
    void schemaRejectsAnEventWithoutOffsetOrWithAnUnknownStatus() throws Exception {
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) TracklineJson.mapper().valueToTree(sample());
        json.put("occurredAt", "2019-02-16T17:30:13");
        json.put("status", "TELEPORTED");
        assertThat(schema("canonical-event.v1.schema.json").validate(json)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void rawFieldIsOptionalAndValidatedByTheSchema() throws Exception {
        CanonicalEvent old = sample();
        CanonicalEvent withField = new CanonicalEvent(old.schemaVersion(), old.eventId(), old.shipmentId(),
                old.carrier(), old.account(), old.reference(), old.references(), old.status(), old.reason(),
                old.occurredAt(), old.location(), old.rawCode(), old.rawText(), old.rawTime(), old.source(),
                old.eta(), old.mappingVersion(), "order.status");
        assertThat(old.rawField()).isNull();
        withField = new CanonicalEvent(withField.schemaVersion(), withField.eventId(), withField.shipmentId(),
                withField.carrier(), withField.account(), withField.reference(), withField.references(),
                withField.status(), withField.reason(), withField.occurredAt(),
                Location.named("On vehicle", "Bangkok", null), withField.rawCode(), withField.rawText(),
                withField.rawTime(), withField.source(), withField.eta(), withField.mappingVersion(),
                withField.rawField());
        JsonNode json = TracklineJson.mapper().valueToTree(withField);
        assertThat(json.get("rawField").asText()).isEqualTo("order.status");
        assertThat(json.get("location").has("empty")).isFalse();
        assertThat(schema("canonical-event.v1.schema.json").validate(json)).isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("rawField", "");
        assertThat(schema("canonical-event.v1.schema.json").validate(json)).isNotEmpty();
    }

    @Test
    void eventRoundTripsThroughJson() throws Exception {
        CanonicalEvent event = sample();
        byte[] bytes = TracklineJson.mapper().writeValueAsBytes(event);
        assertThat(TracklineJson.mapper().readValue(bytes, CanonicalEvent.class)).isEqualTo(event);
    }

    @Test
    void rawEnvelopeKeepsPayloadBytesAndMatchesItsSchema() throws Exception {
        byte[] body = "{ \"order\" : {\"order_id\": 1, \"address\": \"ถนน สุขุมวิท\"} }\n".getBytes(StandardCharsets.UTF_8);
        RawEnvelope envelope = RawEnvelope.of(Carrier.MRSPEEDY, "demo", Source.WEBHOOK, "1",
                OffsetDateTime.parse("2026-11-24T10:00:00Z"), "req-1", "application/json", Map.of(), body);
        byte[] wire = RawEnvelopes.encode(envelope);
        RawEnvelope back = RawEnvelopes.decode(wire).envelope();
        assertThat(back.payload()).isEqualTo(body);
        assertThat(back.contentDigest()).isEqualTo(ContentDigest.of(body)).startsWith("sha-256:");
        assertThat(back.key()).isEqualTo("mrspeedy:demo:1");
        assertThat(schema("raw-envelope.v1.schema.json").validate(TracklineJson.mapper().readTree(wire))).isEmpty();
        byte[] text = RawEnvelopes.encode(RawEnvelope.of(Carrier.ALL24, "demo", Source.POLL, "TH1",
                OffsetDateTime.parse("2026-11-24T10:00:00Z"), "poll-1", "text/html", Map.of(),
                "<html>busy</html>".getBytes(StandardCharsets.UTF_8)));
        assertThat(schema("raw-envelope.v1.schema.json").validate(TracklineJson.mapper().readTree(text))).isEmpty();
    }

    @Test
    void eventIdsAreStableAndIgnoreTheOffsetOfTheSameInstant() {
        String a = EventIds.of("mrspeedy:demo:1", "completed", OffsetDateTime.parse("2019-02-16T17:30:13+07:00"));
        String b = EventIds.of("mrspeedy:demo:1", "completed", OffsetDateTime.parse("2019-02-16T10:30:13Z"));
        String c = EventIds.of("mrspeedy:demo:1", "active", OffsetDateTime.parse("2019-02-16T10:30:13Z"));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(java.util.UUID.fromString(a).version()).isEqualTo(8);
    }
}
