package io.trackline.pollers;

import static io.trackline.pollers.PollersTestData.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.ReferenceKeys;
import io.trackline.events.ShipmentIds;
import io.trackline.events.Source;
import io.trackline.events.Topics;
import io.trackline.events.TracklineJson;
import io.trackline.pollers.service.ShipmentStatus;
import io.trackline.pollers.service.ShipmentStatuses;
import io.trackline.testsupport.KafkaTestResource;
import io.trackline.testsupport.MetricsEndpoint;
import io.trackline.testsupport.PostgresTestResource;
import io.trackline.testsupport.TestInfra;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** trackline.events.v1 into pollers.shipment_status: the newest event decides, poison is skipped. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(SubscriptionSeed.class)
class EventsListenerIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00+07:00");

    @Inject
    ShipmentStatuses statuses;

    static CanonicalEvent event(Carrier carrier, String reference, CanonicalStatus status, OffsetDateTime at) {
        return CanonicalEvent.builder()
                .eventId(UUID.randomUUID().toString())
                .shipmentId(ShipmentIds.of(carrier, "demo", reference))
                .carrier(carrier)
                .account("demo")
                .reference(reference)
                .status(status)
                .occurredAt(at)
                .rawCode(status.name())
                .source(Source.POLL)
                .mappingVersion("test")
                .build();
    }

    /** Records in one go, in order; a null value is a record without one. */
    static void send(List<Map.Entry<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", TestInfra.kafka().bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> record : records) {
                ProducerRecord<String, byte[]> r =
                        new ProducerRecord<>(Topics.EVENTS, record.getKey(), record.getValue());
                r.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
                r.headers().add("ce_type", CanonicalEvent.CLOUD_EVENT_TYPE.getBytes(StandardCharsets.UTF_8));
                r.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
                producer.send(r);
            }
            producer.flush();
        }
    }

    static Map.Entry<String, byte[]> record(CanonicalEvent event) throws Exception {
        return Map.entry(event.shipmentId(), TracklineJson.mapper().writeValueAsBytes(event));
    }

    static Map.Entry<String, byte[]> raw(String key, String value) {
        return Map.entry(key, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theNewestEventDecidesWhateverOrderEventsComeIn() throws Exception {
        String code = PollersTestData.orderCode();
        String id = "247express:demo:" + code;
        CanonicalEvent picked = event(Carrier.EXPRESS247, code, CanonicalStatus.PICKED_UP, T0);
        CanonicalEvent transit =
                event(Carrier.EXPRESS247, code, CanonicalStatus.IN_TRANSIT, T0.plusHours(3)).toBuilder()
                        .eta(T0.plusDays(1))
                        .build();
        CanonicalEvent transitAgain = event(Carrier.EXPRESS247, code, CanonicalStatus.IN_TRANSIT, T0.plusHours(5));
        send(List.of(record(transit), record(picked), record(transitAgain)));

        await().atMost(WAIT)
                .until(() -> PollersTestData.count(
                                "SELECT count(*) FROM pollers.shipment_status WHERE shipment_id = ?"
                                        + " AND last_occurred_at = '2026-11-20T14:00:00+07:00'",
                                id)
                        == 1);
        ShipmentStatus status = statuses.find(id).orElseThrow();
        assertThat(status.statusSince()).isEqualTo(T0.plusHours(3)); // the same status again: since stays
        assertThat(status.status()).isEqualTo(CanonicalStatus.IN_TRANSIT);
        assertThat(status.carrier()).isEqualTo(Carrier.EXPRESS247);
        assertThat(status.account()).isEqualTo("demo");
        assertThat(status.reference()).isEqualTo(code);
        assertThat(status.eta()).isEqualTo(T0.plusDays(1)); // kept from the event that gave one
        assertThat(status.isFinal()).isFalse();

        // the subscription's answer shows it
        api().contentType(ContentType.JSON)
                .body("{\"carrier\":\"247express\",\"account\":\"demo\",\"reference\":\"" + code + "\"}")
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(201)
                .body("status", equalTo("IN_TRANSIT"))
                .body("status_since", equalTo("2026-11-20T05:00:00Z"));
    }

    @Test
    void atTheSameInstantAFinalStatusWins() throws Exception {
        String id = "all24:demo:" + PollersTestData.all24Number();
        String other = "all24:demo:" + PollersTestData.all24Number();
        double recorded = MetricsEndpoint.metric("trackline_pollers_events_recorded_total");
        // all24 sends "Delivery complete" and "Goods arrived" with one timestamp, newest first: either order
        send(List.of(
                record(event(Carrier.ALL24, id.substring(11), CanonicalStatus.DELIVERED, T0)),
                record(event(Carrier.ALL24, id.substring(11), CanonicalStatus.IN_TRANSIT, T0)),
                record(event(Carrier.ALL24, other.substring(11), CanonicalStatus.IN_TRANSIT, T0)),
                record(event(Carrier.ALL24, other.substring(11), CanonicalStatus.DELIVERED, T0))));
        await().atMost(WAIT)
                .until(() -> MetricsEndpoint.metric("trackline_pollers_events_recorded_total") >= recorded + 4);
        for (String shipment : List.of(id, other)) {
            assertThat(statuses.find(shipment))
                    .as(shipment)
                    .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(CanonicalStatus.DELIVERED));
        }
        assertThat(statuses.notFinal(Carrier.ALL24, "demo", 100_000))
                .extracting(ShipmentStatus::shipmentId)
                .doesNotContain(id, other);
        String open = "all24:demo:" + PollersTestData.all24Number();
        send(List.of(record(event(Carrier.ALL24, open.substring(11), CanonicalStatus.PICKED_UP, T0))));
        await().atMost(WAIT).until(() -> statuses.find(open).isPresent());
        assertThat(statuses.notFinal(Carrier.ALL24, "demo", 100_000))
                .extracting(ShipmentStatus::shipmentId)
                .contains(open);
    }

    @Test
    void aThirdPartyNumberFindsItsAll24Shipment() throws Exception {
        String number = PollersTestData.all24Number();
        String thirdParty = "TP" + number.substring(2);
        CanonicalEvent event = event(Carrier.ALL24, number, CanonicalStatus.PICKED_UP, T0).toBuilder()
                .references(Map.of(
                        ReferenceKeys.ALL24_TRACKING_NUMBER, number,
                        ReferenceKeys.THIRD_PARTY_TRACKING_NUMBER, thirdParty))
                .build();
        send(List.of(record(event)));
        String alias = "all24:demo:" + thirdParty;
        Optional<ShipmentStatus> found = await().atMost(WAIT).until(() -> statuses.find(alias), Optional::isPresent);
        assertThat(found.get().shipmentId()).isEqualTo(alias);
        assertThat(found.get().reference()).isEqualTo(thirdParty);
        assertThat(statuses.findAll(List.of(alias, "all24:demo:" + number)))
                .containsOnlyKeys(alias, "all24:demo:" + number);
    }

    @Test
    void poisonIsSkippedAndCountedAndTheEventsAfterItAreStored() throws Exception {
        double unreadable = skipped("unreadable");
        double incomplete = skipped("incomplete");
        double rejected = skipped("rejected_by_database");
        String after = PollersTestData.orderId();
        CanonicalEvent refused =
                event(Carrier.MRSPEEDY, PollersTestData.orderId(), CanonicalStatus.PICKED_UP, T0).toBuilder()
                        .account("de\u0000mo") // PostgreSQL holds no NUL
                        .build();
        send(List.of(
                raw("mrspeedy:demo:1", "not json"),
                raw("mrspeedy:demo:2", "{\"eventId\":\"e\",\"shipmentId\":\"mrspeedy:demo:2\"}"),
                raw("mrspeedy:demo:3", "{\"status\":\"NO_SUCH_STATUS\"}"),
                raw("mrspeedy:demo:4", null),
                record(refused),
                record(event(Carrier.MRSPEEDY, after, CanonicalStatus.IN_TRANSIT, T0))));
        await().atMost(WAIT).until(() -> statuses.find("mrspeedy:demo:" + after).isPresent());
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(skipped("unreadable") - unreadable).isEqualTo(3); // not JSON, a status no one knows, empty
            assertThat(skipped("incomplete") - incomplete).isEqualTo(1);
            assertThat(skipped("rejected_by_database") - rejected).isEqualTo(1);
        });
    }

    static double skipped(String reason) {
        return MetricsEndpoint.metric("trackline_pollers_events_skipped_total", Map.of("reason", reason));
    }
}
