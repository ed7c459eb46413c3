package io.trackline.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CanonicalEventSchemaTest {

    static JsonSchema schema(String name) throws Exception {
        try (InputStream in = CanonicalEvent.class.getResourceAsStream("/schemas/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        }
    }

    static CanonicalEvent sample() {
        String shipment = ShipmentIds.of(Carrier.MRSPEEDY, "demo", "1250032");
        OffsetDateTime at = OffsetDateTime.parse("2019-02-16T17:30:13+07:00");
        return CanonicalEvent.builder()
                .eventId(EventIds.of(shipment, "order.status=available", at))
                .shipmentId(shipment)
                .carrier(Carrier.MRSPEEDY)
                .account("demo")
                .reference("1250032")
                .references(Map.of(ReferenceKeys.MRSPEEDY_ORDER_ID, "1250032"))
                .status(CanonicalStatus.INFO_RECEIVED)
                .occurredAt(at)
                .rawCode("available")
                .rawText("Order was verified")
                .source(Source.WEBHOOK)
                .mappingVersion("mrspeedy-1")
                .build();
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
        var json = (com.fasterxml.jackson.databind.node.ObjectNode)
                TracklineJson.mapper().valueToTree(sample());
        json.put("occurredAt", "2019-02-16T17:30:13");
        json.put("status", "TELEPORTED");
        assertThat(schema("canonical-event.v1.schema.json").validate(json)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void rawFieldIsOptionalAndValidatedByTheSchema() throws Exception {
        CanonicalEvent old = sample();
        CanonicalEvent withField = old.toBuilder()
                .rawField("order.status")
                .location(Location.named("On vehicle", "Bangkok", null))
                .build();
        assertThat(old.rawField()).isNull();
        JsonNode json = TracklineJson.mapper().valueToTree(withField);
        assertThat(json.get("rawField").asText()).isEqualTo("order.status");
        assertThat(json.get("location").has("empty")).isFalse();
        assertThat(schema("canonical-event.v1.schema.json").validate(json)).isEmpty();
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("rawField", "");
        assertThat(schema("canonical-event.v1.schema.json").validate(json)).isNotEmpty();
    }

    @Test
    void reversalIsOptionalAndAnEventWithoutItReadsAsNull() throws Exception {
        CanonicalEvent reactivated = sample().toBuilder()
                .status(CanonicalStatus.INFO_RECEIVED)
                .reason(CanonicalReason.REACTIVATED)
                .reversal(true)
                .build();
        JsonNode json = TracklineJson.mapper().valueToTree(reactivated);
        assertThat(json.get("reversal").asBoolean()).isTrue();
        assertThat(schema("canonical-event.v1.schema.json").validate(json)).isEmpty();
        JsonNode notAReversal = TracklineJson.mapper()
                .valueToTree(sample().toBuilder().reversal(false).build());
        assertThat(notAReversal.get("reversal").asBoolean(true)).isFalse();
        assertThat(schema("canonical-event.v1.schema.json").validate(notAReversal))
                .isEmpty();

        ObjectNode written = (ObjectNode) json.deepCopy();
        written.remove("reversal"); // as written before the field existed
        assertThat(schema("canonical-event.v1.schema.json").validate(written)).isEmpty();
        assertThat(TracklineJson.mapper()
                        .treeToValue(written, CanonicalEvent.class)
                        .reversal())
                .isNull();
        written.put("reversal", "yes");
        assertThat(schema("canonical-event.v1.schema.json").validate(written)).isNotEmpty();
    }

    @Test
    void eventRoundTripsThroughJson() throws Exception {
        CanonicalEvent event = sample();
        byte[] bytes = TracklineJson.mapper().writeValueAsBytes(event);
        assertThat(TracklineJson.mapper().readValue(bytes, CanonicalEvent.class))
                .isEqualTo(event);
    }

    @Test
    void eventIdsAreStableAndIgnoreTheOffsetOfTheSameInstant() {
        String a = EventIds.of(
                "mrspeedy:demo:1", "order.status=completed", OffsetDateTime.parse("2019-02-16T17:30:13+07:00"));
        String b =
                EventIds.of("mrspeedy:demo:1", "order.status=completed", OffsetDateTime.parse("2019-02-16T10:30:13Z"));
        String c = EventIds.of("mrspeedy:demo:1", "order.status=active", OffsetDateTime.parse("2019-02-16T10:30:13Z"));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(java.util.UUID.fromString(a).version()).isEqualTo(8);
    }
}
