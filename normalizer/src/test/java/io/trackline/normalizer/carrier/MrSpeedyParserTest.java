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

class MrSpeedyParserTest {

    final Normalizer normalizer = Samples.normalizer(Samples.metrics(new SimpleMeterRegistry()));

    List<Normalized> normalize(Source source, String ref, String payload) throws Exception {
        return normalizer.normalize(envelope(Carrier.MRSPEEDY, source, ref, payload));
    }

    @Test
    void callbackExampleIsOneStatusStateWithTheEventTime() throws Exception {
        List<Normalized> out = normalize(Source.WEBHOOK, "1250032", Samples.text(Samples.MRSPEEDY_CALLBACK));

        assertThat(out).singleElement().satisfies(n -> {
            CanonicalEvent e = n.event();
            assertThat(n.state()).isTrue();
            assertThat(e.status()).isEqualTo(CanonicalStatus.INFO_RECEIVED);
            assertThat(e.rawCode()).isEqualTo("available");
            assertThat(e.rawField()).isEqualTo("order.status");
            assertThat(e.occurredAt()).isEqualTo(OffsetDateTime.parse("2019-02-16T17:30:13+07:00"));
            assertThat(e.shipmentId()).isEqualTo("mrspeedy:demo:1250032");
            assertThat(e.references())
                    .containsEntry(ReferenceKeys.MRSPEEDY_ORDER_ID, "1250032")
                    .containsEntry(ReferenceKeys.MRSPEEDY_ORDER_NAME, "50032");
            assertThat(e.eta()).isEqualTo(OffsetDateTime.parse("2019-02-16T19:30:13+07:00"));
            assertThat(e.source().id()).isEqualTo("webhook");
        });
    }

    @Test
    void visitedPointsArePickupAndDeliveryWithTheSameIdsInCallbackAndOrderList() throws Exception {
        String callback = Samples.activeWithPickup(Samples.text(Samples.MRSPEEDY_CALLBACK))
                .replaceFirst("\"client_order_id\": null", "\"client_order_id\": \"SHOP-42\"")
                .replace(
                        "\"courier_visit_datetime\": null", "\"courier_visit_datetime\": \"2019-02-16T19:10:00+07:00\"")
                .replace("\"status\": \"active\"", "\"status\": \"completed\"");
        List<CanonicalEvent> hook = normalize(Source.WEBHOOK, "1250032", callback).stream()
                .map(Normalized::event)
                .toList();
        assertThat(hook)
                .extracting(e -> e.rawCode() + ":" + e.status())
                .containsExactly("pickup:PICKED_UP", "completed:DELIVERED", "dropoff:DELIVERED");
        assertThat(hook.get(0).references()).containsEntry(ReferenceKeys.MRSPEEDY_CLIENT_ORDER_ID, "SHOP-42");

        String list = "{\"is_successful\": true, \"orders\": ["
                + callback.substring(callback.indexOf("\"order\":") + 8, callback.lastIndexOf('}'))
                + "], \"orders_count\": 1}";
        List<CanonicalEvent> poll = normalize(Source.POLL, "1250032", list).stream()
                .map(Normalized::event)
                .toList();
        assertThat(poll).extracting(CanonicalEvent::rawCode).contains("pickup", "dropoff");
        assertThat(poll.stream()
                        .filter(e -> !e.rawField().equals("order.status"))
                        .map(CanonicalEvent::eventId))
                .containsExactlyInAnyOrderElementsOf(hook.stream()
                        .filter(e -> !e.rawField().equals("order.status"))
                        .map(CanonicalEvent::eventId)
                        .toList());
    }

    @Test
    void orderListKeepsOnlyTheEnvelopesOrder() throws Exception {
        List<Normalized> out = normalize(Source.POLL, "1250035", Samples.text(Samples.MRSPEEDY_ORDERS));
        assertThat(out)
                .isNotEmpty()
                .allSatisfy(n -> assertThat(n.event().reference()).isEqualTo("1250035"));
        assertThat(out.get(0).event().occurredAt()).isNotNull();
    }

    @Test
    void withoutOrderOrEventTimeIsUnparseable() {
        assertThatThrownBy(() -> normalize(Source.WEBHOOK, "1", "{\"hello\": 1}"))
                .isInstanceOf(UnparseableException.class);
        assertThatThrownBy(() -> normalize(Source.WEBHOOK, "1", "{\"order\": {\"order_id\": 1, \"status\": \"new\"}}"))
                .isInstanceOf(UnparseableException.class);
    }
}
