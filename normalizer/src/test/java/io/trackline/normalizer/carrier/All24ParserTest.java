package io.trackline.normalizer.carrier;

import static io.trackline.normalizer.Samples.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.ReferenceKeys;
import io.trackline.events.Source;
import io.trackline.normalizer.Samples;
import io.trackline.normalizer.service.Normalizer;
import io.trackline.normalizer.service.Normalizer.Normalized;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class All24ParserTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Normalizer normalizer = Samples.normalizer(Samples.metrics(registry));

    List<CanonicalEvent> normalize(String ref, String payload) throws Exception {
        return normalizer.normalize(envelope(Carrier.ALL24, Source.POLL, ref, payload)).stream()
                .map(Normalized::event)
                .toList();
    }

    @Test
    void historyExampleBecomesTheGoldenTimelineOldestFirstInBangkokTime() throws Exception {
        List<CanonicalEvent> events = normalize("HSBY37H7", Samples.text(Samples.ALL24_EXAMPLE));

        assertThat(events)
                .extracting(CanonicalEvent::rawCode)
                .containsExactly("050000", "100000", "200000", "300000", "500000");
        assertThat(events)
                .extracting(CanonicalEvent::status)
                .containsExactly(
                        CanonicalStatus.INFO_RECEIVED,
                        CanonicalStatus.IN_TRANSIT,
                        CanonicalStatus.PICKED_UP,
                        CanonicalStatus.OUT_FOR_DELIVERY,
                        CanonicalStatus.DELIVERED);
        assertThat(events)
                .extracting(e -> e.occurredAt().toString())
                .containsExactly(
                        "2015-08-18T12:00:59+07:00",
                        "2015-08-18T12:01:30+07:00",
                        "2015-08-18T12:01:46+07:00",
                        "2015-08-18T12:02+07:00",
                        "2015-08-18T12:02+07:00");
        CanonicalEvent delivered = events.get(4);
        assertThat(delivered.shipmentId()).isEqualTo("all24:demo:HSBY37H7");
        assertThat(delivered.rawText()).isEqualTo("Delivery complete");
        assertThat(delivered.rawTime()).isEqualTo("2015-08-18 12:02:00");
        assertThat(delivered.eta()).isEqualTo(OffsetDateTime.parse("2015-08-19T23:59:00+07:00"));
        assertThat(delivered.references())
                .containsEntry(ReferenceKeys.ALL24_TRACKING_NUMBER, "HSBY37H7")
                .containsEntry(ReferenceKeys.ALL24_ORDER_REF_ID, "123abc1")
                .doesNotContainKey(ReferenceKeys.THIRD_PARTY_TRACKING_NUMBER);
        assertThat(delivered.mappingVersion()).isEqualTo("all24-1");
        assertThat(delivered.rawField()).isEqualTo("event_code");
        assertThat(events.get(2).location().name()).isEqualTo("On vehicle");
        assertThat(events).extracting(CanonicalEvent::eventId).doesNotHaveDuplicates();
        assertThat(registry.find("trackline.normalizer.codes.name_disagreement").counter())
                .isNull();
    }

    @Test
    void thirdPartyQueryFormGivesTheSameShipmentAndEventIds() throws Exception {
        List<CanonicalEvent> byAll24 = normalize("HSBY37H7", Samples.text(Samples.ALL24_EXAMPLE));
        List<CanonicalEvent> byThirdParty = normalize("SHOP-000777", Samples.text(Samples.ALL24_EXAMPLE));

        assertThat(byThirdParty)
                .extracting(CanonicalEvent::eventId)
                .containsExactlyElementsOf(
                        byAll24.stream().map(CanonicalEvent::eventId).toList());
        assertThat(byThirdParty.get(0).shipmentId()).isEqualTo("all24:demo:HSBY37H7");
        assertThat(byThirdParty.get(0).references())
                .containsEntry(ReferenceKeys.THIRD_PARTY_TRACKING_NUMBER, "SHOP-000777");
    }

    @Test
    void codeSentWithTheTablesNameIsMappedByCodeAndCountedAsADisagreement() throws Exception {
        String payload = Samples.text(Samples.ALL24_EXAMPLE).replace("\"Delivery complete\"", "\"Order received\"");
        List<CanonicalEvent> events = normalize("HSBY37H7", payload);

        assertThat(events.get(4).status()).isEqualTo(CanonicalStatus.DELIVERED);
        assertThat(events.get(4).rawText()).isEqualTo("Order received");
        assertThat(registry.get("trackline.normalizer.codes.name_disagreement")
                        .tag("carrier", "all24")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void unknownCodeBecomesUnknownWithTheRawCodeKeptAndCounted() throws Exception {
        String payload = Samples.text(Samples.ALL24_EXAMPLE).replace("\"200000\"", "\"777000\"");
        CanonicalEvent event = normalize("HSBY37H7", payload).get(2);

        assertThat(event.status()).isEqualTo(CanonicalStatus.UNKNOWN);
        assertThat(event.rawCode()).isEqualTo("777000");
        assertThat(registry.get("trackline.normalizer.codes.unmapped")
                        .tag("field", "event_code")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void errorAnswerHoldsNoFactsAndIsCounted() throws Exception {
        assertThat(normalize("NOPE1", "{\"response_code\": 400, \"error_codes\": [1350]}"))
                .isEmpty();
        assertThat(registry.get("trackline.normalizer.carrier.errors")
                        .tag("code", "1350")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void somethingElseIsUnparseable() {
        assertThatThrownBy(() -> normalize("X", "<html>502</html>")).isInstanceOf(UnparseableException.class);
        assertThatThrownBy(() -> normalize("X", "{\"response_code\": 200, \"error_codes\": []}"))
                .isInstanceOf(UnparseableException.class);
        assertThatThrownBy(() -> normalize(
                        "X", Samples.text(Samples.ALL24_EXAMPLE).replace("\"2015-08-18 12:02:00\"", "\"yesterday\"")))
                .isInstanceOf(UnparseableException.class);
    }
}
