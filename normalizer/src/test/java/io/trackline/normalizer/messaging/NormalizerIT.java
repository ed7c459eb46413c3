package io.trackline.normalizer.messaging;

import static io.trackline.normalizer.Samples.envelope;
import static io.trackline.normalizer.messaging.KafkaTestClients.events;
import static io.trackline.normalizer.messaging.KafkaTestClients.header;
import static io.trackline.testsupport.MetricsEndpoint.metric;
import static io.trackline.testsupport.MetricsEndpoint.series;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.mapping.Mapping;
import io.trackline.normalizer.mapping.MappingRowsTest;
import io.trackline.normalizer.mapping.MappingTables;
import io.trackline.testsupport.KafkaTestResource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
    static final JsonSchema SCHEMA = schema("canonical-event.v1.schema.json");
    /** The records' CloudEvents attributes, as raw-record.v1.schema.json describes the raw topic's. */
    static final JsonSchema ATTRIBUTES = schema("events-record.v1.schema.json");

    static JsonSchema schema(String name) {
        try (InputStream in = CanonicalEvent.class.getResourceAsStream("/schemas/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(in);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String unique(String prefix) {
        return prefix
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
    }

    /** Each record as a consumer sees it: CloudEvents binary headers, key, and data valid against the schema. */
    static List<JsonNode> canonical(List<ConsumerRecord<String, String>> records) {
        return records.stream()
                .map(r -> {
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
                    assertThat(header(r, "ce_mappingversion"))
                            .isEqualTo(data.get("mappingVersion").asText());
                    assertThat(r.key()).isEqualTo(data.get("shipmentId").asText());
                    assertThat(SCHEMA.validate(data)).as(r.value()).isEmpty();
                    ObjectNode attributes = TracklineJson.mapper().createObjectNode();
                    r.headers()
                            .forEach(h -> attributes.put(
                                    h.key().equals("content-type")
                                            ? "datacontenttype"
                                            : h.key().replaceFirst("^ce_", ""),
                                    new String(h.value(), StandardCharsets.UTF_8)));
                    assertThat(ATTRIBUTES.validate(attributes))
                            .as(attributes.toString())
                            .isEmpty();
                    return data;
                })
                .toList();
    }

    static List<String> codes(String shipmentId) {
        return canonical(events(shipmentId)).stream()
                .map(d -> d.get("rawCode").asText() + ":" + d.get("status").asText())
                .toList();
    }

    @Test
    void all24HistoryExampleIsTheGoldenTimelineOnTheTopicAndARepeatedPollAddsNothing() throws Exception {
        String number = unique("HS");
        String payload = Samples.text(Samples.ALL24_EXAMPLE).replace("HSBY37H7", number);
        KafkaTestClients.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, payload));
        String shipment = "all24:demo:" + number;

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(codes(shipment))
                        .containsExactly(
                                "050000:INFO_RECEIVED",
                                "100000:IN_TRANSIT",
                                "200000:PICKED_UP",
                                "300000:OUT_FOR_DELIVERY",
                                "500000:DELIVERED"));
        JsonNode first = canonical(events(shipment)).get(0);
        assertThat(first.get("occurredAt").asText()).isEqualTo("2015-08-18T12:00:59+07:00");
        assertThat(first.get("references").get("all24TrackingNumber").asText()).isEqualTo(number);

        // the same history polled again, and through the third-party query form: nothing new
        KafkaTestClients.sendRaw(
                envelope(Carrier.ALL24, Source.POLL, number, payload),
                envelope(Carrier.ALL24, Source.POLL, number, payload));
        String withNewEvent = payload.replace("\"history\": [", """
                "history": [ {"event_time": "2015-08-19 09:00:00", "event_name": "Order cancelled (by carrier)",
                "event_code": "401101", "location_ref": "", "location": {}},""");
        KafkaTestClients.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, withNewEvent));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(codes(shipment))
                        .containsExactly(
                                "050000:INFO_RECEIVED",
                                "100000:IN_TRANSIT",
                                "200000:PICKED_UP",
                                "300000:OUT_FOR_DELIVERY",
                                "500000:DELIVERED",
                                "401101:CANCELLED"));
    }

    @Test
    void express247StatusListAndDelayReasonAreTheGoldenTimeline() throws Exception {
        String code = unique("EX-");
        String payload = Samples.text(Samples.EXPRESS247).replace("EX247-000123", code);
        KafkaTestClients.sendRaw(envelope(Carrier.EXPRESS247, Source.POLL, code, payload));
        String shipment = "247express:demo:" + code;

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(codes(shipment))
                        .containsExactly(
                                "ACCEPTED:INFO_RECEIVED",
                                "PICKED_UP:PICKED_UP",
                                "IN_TRANSIT:IN_TRANSIT",
                                "IN_TRANSIT:IN_TRANSIT",
                                "DELIVERING:OUT_FOR_DELIVERY",
                                "PENDING_FOR_PROCEED:DELIVERY_FAILED",
                                "2:DELIVERY_FAILED"));
        JsonNode delay = canonical(events(shipment)).get(6);
        assertThat(delay.get("reason").asText()).isEqualTo("RECIPIENT_UNAVAILABLE");
        assertThat(delay.get("eta").asText()).isEqualTo("2026-11-26T17:00:00+07:00");
    }

    @Test
    void mrSpeedyCallbackExampleThenPollAndResentCallbacksGiveEachFactOnce() throws Exception {
        String orderId = String.valueOf(900_000_000 + (int) (Math.random() * 99_999_999));
        String available = Samples.text(Samples.MRSPEEDY_CALLBACK).replace("1250032", orderId);
        String active = Samples.activeWithPickup(available);
        String list = "{\"is_successful\": true, \"orders\": ["
                + active.substring(active.indexOf("\"order\":") + 8, active.lastIndexOf('}')) + "]}";
        String shipment = "mrspeedy:demo:" + orderId;

        KafkaTestClients.sendRaw(envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, available));
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(codes(shipment)).containsExactly("available:INFO_RECEIVED"));

        KafkaTestClients.sendRaw(
                envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, active),
                envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, available), // resent by MrSpeedy
                envelope(
                        Carrier.MRSPEEDY,
                        Source.POLL,
                        orderId,
                        list,
                        OffsetDateTime.parse("2019-02-16T18:10:00+07:00")),
                envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, active)); // resent by MrSpeedy
        String marker = active.replace("\"status\": \"active\"", "\"status\": \"delayed\"")
                .replace("2019-02-16T18:05:00+07:00", "2019-02-16T18:20:00+07:00");
        KafkaTestClients.sendRaw(envelope(Carrier.MRSPEEDY, Source.WEBHOOK, orderId, marker));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(codes(shipment))
                        .containsExactly(
                                "available:INFO_RECEIVED",
                                "pickup:PICKED_UP",
                                "active:IN_TRANSIT",
                                "delayed:DELIVERY_FAILED"));
        assertThat(canonical(events(shipment)))
                .extracting(d -> d.get("source").asText())
                .containsExactly("webhook", "webhook", "webhook", "webhook");
    }

    @Test
    void unparseableRecordGoesToTheDeadLetterTopicWithReasonHeadersAndIsCounted() throws Exception {
        String key = unique("mrspeedy:demo:");
        KafkaTestClients.sendRawValue(key, "this is not an envelope");
        RawEnvelope badPayload = envelope(Carrier.ALL24, Source.POLL, unique("BAD"), "<html>gateway timeout</html>");
        KafkaTestClients.sendRaw(badPayload);

        await().atMost(WAIT).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> dead = KafkaTestClients.readAll(Topics.RAW_DLQ);
            ConsumerRecord<String, String> envelopeless = dead.stream()
                    .filter(r -> key.equals(r.key()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("not on the dead-letter topic yet"));
            assertThat(envelopeless.value()).isEqualTo("this is not an envelope");
            assertThat(header(envelopeless, "dead-letter-reason")).contains("not a Trackline envelope");
            assertThat(header(envelopeless, "dead-letter-topic")).isEqualTo(Topics.RAW);
            assertThat(header(envelopeless, "dead-letter-offset")).isNotBlank();
            ConsumerRecord<String, String> payloadless = dead.stream()
                    .filter(r -> badPayload.key().equals(r.key()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("not on the dead-letter topic yet"));
            assertThat(header(payloadless, "dead-letter-reason")).isEqualTo("all24 payload is not JSON");
            assertThat(header(payloadless, "dead-letter-carrier")).isEqualTo("all24");
        });
        assertThat(events(badPayload.key())).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(metric("trackline_normalizer_raw_dead_lettered_total", Map.of("carrier", "unknown")))
                    .isPositive();
            assertThat(metric("trackline_normalizer_raw_dead_lettered_total", Map.of("carrier", "all24")))
                    .isPositive();
        });
    }

    @Test
    void unmappedCodeIsPublishedAsUnknownWithItsRawCodeAndCounted() throws Exception {
        String number = unique("HS");
        String payload = Samples.text(Samples.ALL24_EXAMPLE)
                .replace("HSBY37H7", number)
                .replace("\"200000\"", "\"999999\"")
                .replace("\"Goods arrived\"", "\"Delivered\"");
        KafkaTestClients.sendRaw(envelope(Carrier.ALL24, Source.POLL, number, payload));

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(codes("all24:demo:" + number))
                        .contains("999999:UNKNOWN", "300000:OUT_FOR_DELIVERY"));
        assertThat(metric("trackline_normalizer_codes_unmapped_total", Map.of("carrier", "all24")))
                .isPositive();
        assertThat(metric("trackline_normalizer_codes_name_disagreement_total", Map.of("carrier", "all24")))
                .isPositive();
        assertThat(series("trackline_normalizer_events_duplicate_total", Map.of()))
                .isPresent();
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
        KafkaTestClients.sendRaw(sent.toArray(RawEnvelope[]::new));

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, List<ConsumerRecord<String, String>>> byShipment =
                    KafkaTestClients.readAll(Topics.EVENTS).stream()
                            .filter(r -> rowByShipment.containsKey(r.key()))
                            .collect(Collectors.groupingBy(ConsumerRecord::key));
            rowByShipment.forEach((shipment, row) -> {
                List<JsonNode> events = canonical(byShipment.getOrDefault(shipment, List.of()));
                assertThat(events).as("%s: %s", shipment, row).anySatisfy(e -> {
                    assertThat(e.get("rawField").asText()).isEqualTo(row.field());
                    assertThat(e.get("rawCode").asText()).isEqualTo(row.code());
                    assertThat(e.get("status").asText()).isEqualTo(row.status().name());
                    assertThat(e.path("reason").asText(null))
                            .isEqualTo(
                                    row.reason() == null ? null : row.reason().name());
                    assertThat(e.get("mappingVersion").asText())
                            .isEqualTo(
                                    tables.table(Carrier.fromId(e.get("carrier").asText()))
                                            .version());
                });
            });
        });
    }
}
