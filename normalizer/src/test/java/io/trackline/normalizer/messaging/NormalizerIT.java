package io.trackline.normalizer.messaging;

import static io.restassured.RestAssured.given;
import static io.trackline.normalizer.Samples.envelope;
import static io.trackline.normalizer.messaging.Topics.events;
import static io.trackline.normalizer.messaging.Topics.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.Source;
import io.trackline.events.TracklineJson;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.mapping.Mapping;
import io.trackline.normalizer.mapping.MappingRowsTest;
import io.trackline.normalizer.mapping.MappingTables;
import io.trackline.testsupport.KafkaTestResource;
import java.io.InputStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The normalizer against the real broker: what appears on trackline.events.v1 and trackline.raw.dlq.v1. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class NormalizerIT {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final JsonSchema SCHEMA = schema();

    static JsonSchema schema() {
        try (InputStream in = CanonicalEvent.class.getResourceAsStream("/schemas/canonical-event.v1.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    }

    /** Each record as a consumer sees it: CloudEvents binary headers, key, and data valid against the schema. */
    static List<JsonNode> canonical(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> {
            JsonNode data;
            try {
                data = TracklineJson.mapper().readTree(r.value());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(r, "ce_type")).isEqualTo(CanonicalEvent.CLOUD_EVENT_TYPE);
            assertThat(header(r, "ce_source")).isEqualTo("/trackline/normalizer");
            assertThat(header(r, "ce_id")).isEqualTo(data.get("eventId").asText());
            assertThat(header(r, "ce_mappingversion")).isEqualTo(data.get("mappingVersion").asText());
            assertThat(r.key()).isEqualTo(data.get("shipmentId").asText());
            assertThat(SCHEMA.validate(data)).as(r.value()).isEmpty();
            return data;
        }).toList();
    }

    static List<String> codes(String shipmentId) {
        return canonical(events(shipmentId)).stream()
                .map(d -> d.get("rawCode").asText() + ":" + d.get("status").asText()).toList();
    }

    @Test
    void all24HistoryExampleIsTheGoldenTimelineOnTheTopicAndARepeatedPollAddsNothing() throws Exception {
        String number = unique("HS");
        String payload = Samples.text(Samples.ALL24_EXAMPLE).replace("HSBY37H7", number);
        Topics.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, payload));
        String shipment = "all24:demo:" + number;

        await().atMost(WAIT).untilAsserted(() -> assertThat(codes(shipment)).containsExactly(
                "050000:INFO_RECEIVED", "100000:IN_TRANSIT", "200000:PICKED_UP", "300000:OUT_FOR_DELIVERY",
                "500000:DELIVERED"));
        JsonNode first = canonical(events(shipment)).get(0);
        assertThat(first.get("occurredAt").asText()).isEqualTo("2015-08-18T12:00:59+07:00");
        assertThat(first.get("references").get("all24TrackingNumber").asText()).isEqualTo(number);

        // the same history polled again, and through the third-party query form: nothing new
        Topics.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, payload),
                envelope(Carrier.ALL24, Source.POLL, number, payload));
        String withNewEvent = payload.replace("\"history\": [", """
                "history": [ {"event_time": "2015-08-19 09:00:00", "event_name": "Order cancelled (by carrier)",
                "event_code": "401101", "location_ref": "", "location": {}},""");
        Topics.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, withNewEvent));
        await().atMost(WAIT).untilAsserted(() -> assertThat(codes(shipment)).containsExactly(
                "050000:INFO_RECEIVED", "100000:IN_TRANSIT", "200000:PICKED_UP", "300000:OUT_FOR_DELIVERY",
                "500000:DELIVERED", "401101:CANCELLED"));
    }

    @Test
    void express247StatusListAndDelayReasonAreTheGoldenTimeline() throws Exception {
        String code = unique("EX-");
        String payload = Samples.text(Samples.EXPRESS247).replace("EX247-000123", code);
        Topics.sendRaw(envelope(Carrier.EXPRESS247, Source.POLL, code, payload));
        String shipment = "247express:demo:" + code;

        await().atMost(WAIT).untilAsserted(() -> assertThat(codes(shipment)).containsExactly(
                "ACCEPTED:INFO_RECEIVED", "PICKED_UP:PICKED_UP", "IN_TRANSIT:IN_TRANSIT", "IN_TRANSIT:IN_TRANSIT",
                "DELIVERING:OUT_FOR_DELIVERY", "PENDING_FOR_PROCEED:DELIVERY_FAILED", "2:DELIVERY_FAILED"));
        JsonNode delay = canonical(events(shipment)).get(6);
        assertThat(delay.get("reason").asText()).isEqualTo("RECIPIENT_UNAVAILABLE");
        assertThat(delay.get("eta").asText()).isEqualTo("2026-11-26T17:00:00+07:00");
    }

    @Test
    void mrSpeedyCallbackExampleThenPollAndResentCallbacksGiveEachFactOnce() throws Exception {
        String orderId = String.valueOf(900_000_000 + (int) (Math.random() * 99_999_999));
        String available = Samples.text(Samples.MRSPEEDY_CALLBACK).replace("1250032", orderId);
        String active = Samples.activeWithPickup(available);
        String list = "{\"is_successful\": true, \"orders\": [" + active.substring(active.indexOf("\"order\":") + 8,
                active.lastIndexOf('}')) + "]}";
        String shipment = "mrspeedy:demo:" + orderId;

        Topics.sendRaw(envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, available));
        await().atMost(WAIT).untilAsserted(() -> assertThat(codes(shipment)).containsExactly("available:INFO_RECEIVED"));

        Topics.sendRaw(envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, active),
                envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, available), // resent by MrSpeedy
                envelope(Carrier.MRSPEEDY, Source.POLL, orderId, list,
                        OffsetDateTime.parse("2019-02-16T18:10:00+07:00")),
                envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, active)); // resent by MrSpeedy
        String marker = active.replace("\"status\": \"active\"", "\"status\": \"delayed\"")
                .replace("2019-02-16T18:05:00+07:00", "2019-02-16T18:20:00+07:00");
        Topics.sendRaw(envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, marker));

        await().atMost(WAIT).untilAsserted(() -> assertThat(codes(shipment)).containsExactly(
                "available:INFO_RECEIVED", "pickup:PICKED_UP", "active:IN_TRANSIT", "delayed:DELIVERY_FAILED"));
        assertThat(canonical(events(shipment))).extracting(d -> d.get("source").asText())
                .containsExactly("webhook", "webhook", "webhook", "webhook");
    }

    @Test
    void unparseableRecordGoesToTheDeadLetterTopicWithReasonHeadersAndIsCounted() throws Exception {
        String key = unique("mrspeedy:demo:");
        Topics.sendRawValue(key, "this is not an envelope");
        RawEnvelope badPayload = envelope(Carrier.ALL24, Source.POLL, unique("BAD"), "<html>gateway timeout</html>");
        Topics.sendRaw(badPayload);

        await().atMost(WAIT).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> dead = Topics.readAll(io.trackline.events.Topics.RAW_DLQ);
            ConsumerRecord<String, String> envelopeless = dead.stream().filter(r -> key.equals(r.key()))
                    .findFirst().orElseThrow(() -> new AssertionError("not on the dead-letter topic yet"));
            assertThat(envelopeless.value()).isEqualTo("this is not an envelope");
            assertThat(header(envelopeless, "dead-letter-reason")).contains("not a Trackline envelope");
            assertThat(header(envelopeless, "dead-letter-topic")).isEqualTo(io.trackline.events.Topics.RAW);
            assertThat(header(envelopeless, "dead-letter-offset")).isNotBlank();
            ConsumerRecord<String, String> payloadless = dead.stream().filter(r -> badPayload.key().equals(r.key()))
                    .findFirst().orElseThrow(() -> new AssertionError("not on the dead-letter topic yet"));
            assertThat(header(payloadless, "dead-letter-reason")).isEqualTo("all24 payload is not JSON");
            assertThat(header(payloadless, "dead-letter-carrier")).isEqualTo("all24");
        });
        assertThat(events(badPayload.key())).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(given().get("/q/metrics").then().statusCode(200)
                .extract().asString())
                .containsPattern("trackline_normalizer_raw_dead_lettered_total\\{[^}]*carrier=\"unknown\"[^}]*} [1-9]")
                .containsPattern("trackline_normalizer_raw_dead_lettered_total\\{[^}]*carrier=\"all24\"[^}]*} [1-9]"));
    }

    @Test
    void unmappedCodeIsPublishedAsUnknownWithItsRawCodeAndCounted() throws Exception {
        String number = unique("HS");
        String payload = Samples.text(Samples.ALL24_EXAMPLE).replace("HSBY37H7", number)
                .replace("\"200000\"", "\"999999\"").replace("\"Goods arrived\"", "\"Delivered\"");
        Topics.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, payload));

        await().atMost(WAIT).untilAsserted(() -> assertThat(codes("all24:demo:" + number))
                .contains("999999:UNKNOWN", "300000:OUT_FOR_DELIVERY"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("trackline_normalizer_codes_unmapped_total\\{[^}]*carrier=\"all24\"[^}]*} [1-9]")
                .containsPattern("trackline_normalizer_codes_name_disagreement_total\\{[^}]*carrier=\"all24\"[^}]*} [1-9]")
                .containsPattern("trackline_normalizer_events_duplicate_total\\{[^}]*} [0-9]");
    }

    @Test
    void everyMappingRowIsAppliedOnTheBroker() throws Exception {
        MappingTables tables = new MappingTables(Optional.empty());
        Map<String, Mapping> rowByShipment = new LinkedHashMap<>();
        List<RawEnvelope> sent = new ArrayList<>();
        long orderId = 7_000_000_000L + (System.nanoTime() & 0xffffff) * 1000;
        for (Carrier carrier : Carrier.values()) {
            for (Mapping row : tables.table(carrier).mappings()) {
                String ref = switch (carrier) {
                    case ALL24 -> unique("RW");
                    case EXPRESS247 -> unique("RW-");
                    case MRSPEEDY -> Long.toString(orderId++);
                };
                RawEnvelope envelope = MappingRowsTest.payloadFor(carrier, row, ref);
                rowByShipment.put(envelope.key(), row);
                sent.add(envelope);
            }
        }
        Topics.sendRaw(sent.toArray(RawEnvelope[]::new));

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, List<ConsumerRecord<String, String>>> byShipment = Topics.readAll(
                    io.trackline.events.Topics.EVENTS).stream().filter(r -> rowByShipment.containsKey(r.key()))
                    .collect(Collectors.groupingBy(ConsumerRecord::key));
            rowByShipment.forEach((shipment, row) -> {
                List<JsonNode> events = canonical(byShipment.getOrDefault(shipment, List.of()));
                assertThat(events).as("%s: %s", shipment, row).anySatisfy(e -> {
                    assertThat(e.get("rawField").asText()).isEqualTo(row.field());
                    assertThat(e.get("rawCode").asText()).isEqualTo(row.code());
                    assertThat(e.get("status").asText()).isEqualTo(row.status().name());
                    assertThat(e.path("reason").asText(null))
                            .isEqualTo(row.reason() == null ? null : row.reason().name());
                    assertThat(e.get("mappingVersion").asText())
                            .isEqualTo(tables.table(Carrier.fromId(e.get("carrier").asText())).version());
                });
            });
        });
    }
}
