package io.trackline.normalizer.carrier;

import static io.trackline.normalizer.Samples.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
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

class Express247ParserTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final Normalizer normalizer = Samples.normalizer(Samples.metrics(registry));

    List<Normalized> normalize(String payload) throws Exception {
        return normalizer.normalize(envelope(Carrier.EXPRESS247, Source.POLL, "EX247-000123", payload));
    }

    @Test
    void statusHistoryTrackingsAndDelayBecomeOneTimelineInHoChiMinhTime() throws Exception {
        List<CanonicalEvent> events = normalize(Samples.text(Samples.EXPRESS247)).stream()
                .map(Normalized::event)
                .toList();

        assertThat(events)
                .extracting(e -> e.rawField() + "=" + e.rawCode() + "@" + e.occurredAt())
                .containsExactly(
                        "status=ACCEPTED@2026-11-24T08:00+07:00",
                        "status=PICKED_UP@2026-11-24T09:10+07:00",
                        "status=IN_TRANSIT@2026-11-24T15:30+07:00",
                        "status=IN_TRANSIT@2026-11-24T15:30+07:00",
                        "status=IN_TRANSIT@2026-11-24T22:15+07:00",
                        "status=DELIVERING@2026-11-25T08:05+07:00",
                        "status=PENDING_FOR_PROCEED@2026-11-25T11:40+07:00",
                        "delayCode=2@2026-11-25T11:40+07:00");
        assertThat(events)
                .extracting(CanonicalEvent::status)
                .containsExactly(
                        CanonicalStatus.INFO_RECEIVED,
                        CanonicalStatus.PICKED_UP,
                        CanonicalStatus.IN_TRANSIT,
                        CanonicalStatus.IN_TRANSIT,
                        CanonicalStatus.IN_TRANSIT,
                        CanonicalStatus.OUT_FOR_DELIVERY,
                        CanonicalStatus.DELIVERY_FAILED,
                        CanonicalStatus.DELIVERY_FAILED);
        // statuses[] and trackings[] state the same fact at 15:30: one event id, emitted once by the processor
        assertThat(events.get(2).eventId()).isEqualTo(events.get(3).eventId());
        assertThat(events.get(4).location().name()).isEqualTo("Buu cuc Cau Giay");
        CanonicalEvent delay = events.get(7);
        assertThat(delay.reason()).isEqualTo(CanonicalReason.RECIPIENT_UNAVAILABLE);
        assertThat(delay.rawText()).startsWith("The recipient is not at the address");
        assertThat(delay.eta()).isEqualTo(OffsetDateTime.parse("2026-11-26T17:00:00+07:00"));
        assertThat(delay.references()).containsEntry(ReferenceKeys.EXPRESS247_ORDER_CODE, "EX247-000123");
        assertThat(delay.shipmentId()).isEqualTo("247express:demo:EX247-000123");
    }

    @Test
    void statusWithoutHistoryIsAStateDatedWhenReceived() throws Exception {
        List<Normalized> out =
                normalize("{\"orderCode\":\"EX247-000124\",\"status\":\"LOST\",\"statusName\":\"LOST\"}");

        assertThat(out).singleElement().satisfies(n -> {
            assertThat(n.state()).isTrue();
            assertThat(n.event().status()).isEqualTo(CanonicalStatus.LOST);
            assertThat(n.event().occurredAt()).isEqualTo(Samples.RECEIVED);
        });
    }

    @Test
    void numericStatusIdIsMappedThroughItsNameAndCounted() throws Exception {
        List<Normalized> out =
                normalize("{\"orderCode\":\"EX247-000125\",\"status\":\"5\",\"statusName\":\"DELIVERED\","
                        + "\"deliveryDate\":\"2026-11-25 10:00:00\"}");

        assertThat(out).singleElement().satisfies(n -> {
            assertThat(n.event().status()).isEqualTo(CanonicalStatus.DELIVERED);
            assertThat(n.event().rawCode()).isEqualTo("5");
            assertThat(n.event().occurredAt()).isEqualTo(OffsetDateTime.parse("2026-11-25T10:00:00+07:00"));
            assertThat(n.state()).isFalse();
        });
        assertThat(registry.get("trackline.normalizer.codes.mapped_by_name")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void errorAnswersAndBadOrderCodes() throws Exception {
        assertThat(normalize("{\"errorCode\":\"ORDERCODE_NOT_FOUND\",\"errorMessage\":\"OrderCode is not found\"}"))
                .isEmpty();
        assertThat(registry.get("trackline.normalizer.carrier.errors")
                        .tag("code", "ORDERCODE_NOT_FOUND")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThatThrownBy(() -> normalize("{\"orderCode\":\"ab\",\"status\":\"LOST\"}"))
                .isInstanceOf(UnparseableException.class);
        assertThatThrownBy(() -> normalize("[]")).isInstanceOf(UnparseableException.class);
    }
}
