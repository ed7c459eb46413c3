package io.trackline.store.messaging;

import static io.trackline.events.CanonicalStatus.IN_TRANSIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import io.trackline.events.ShipmentIds;
import io.trackline.events.Source;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Seconds since each carrier's last event, on a clock the test moves. */
class CarrierFreshnessTest {

    private static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void eachCarrierCountsFromItsLastEventAndFromTheStartBeforeTheFirst() {
        MovableClock clock = new MovableClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CarrierFreshness freshness = new CarrierFreshness(registry, clock);

        clock.now = clock.now.plusSeconds(90);
        assertThat(gauge(registry, "all24")).isEqualTo(90.0);

        freshness.seen(List.of(all24Event("REF1")));
        clock.now = clock.now.plusSeconds(30);

        assertThat(gauge(registry, "all24")).isEqualTo(30.0);
        assertThat(gauge(registry, "247express")).isEqualTo(120.0);
        assertThat(gauge(registry, "mrspeedy")).isEqualTo(120.0);

        freshness.seen(List.<CanonicalEvent>of());
        assertThat(gauge(registry, "all24")).isEqualTo(30.0);
    }

    private static CanonicalEvent all24Event(String reference) {
        OffsetDateTime at = OffsetDateTime.parse("2026-11-30T08:00:00+07:00");
        return CanonicalEvent.builder()
                .eventId("ev-" + UUID.randomUUID())
                .shipmentId(ShipmentIds.of(Carrier.ALL24, "acme", reference))
                .carrier(Carrier.ALL24)
                .account("acme")
                .reference(reference)
                .references(Map.of("trackingNumber", reference))
                .status(IN_TRANSIT)
                .occurredAt(at)
                .rawCode("200000")
                .rawText("in transit")
                .rawTime(at.toLocalDateTime().toString())
                .source(Source.POLL)
                .mappingVersion("all24-1")
                .rawField("event_code")
                .reversal(false)
                .build();
    }

    private static double gauge(SimpleMeterRegistry registry, String carrier) {
        return registry.get(CarrierFreshness.FRESHNESS)
                .tag("carrier", carrier)
                .gauge()
                .value();
    }
}
