package io.trackline.store.service;

import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.Location;
import io.trackline.events.ShipmentIds;
import io.trackline.events.Source;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** Canonical events for the service tests, with one field changed at a time. */
final class TestEvents {

    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T08:00:00+07:00");

    private TestEvents() {}

    static CanonicalEvent valid(String reference) {
        return event(
                reference,
                T0,
                "picked up at the hub",
                Location.named("Hub", "Bangkok", "10110"),
                Map.of("trackingNumber", reference));
    }

    static CanonicalEvent event(
            String reference, OffsetDateTime at, String rawText, Location location, Map<String, String> references) {
        String shipment = ShipmentIds.of(Carrier.ALL24, "acme", reference);
        return CanonicalEvent.builder()
                .eventId("ev-" + UUID.randomUUID())
                .shipmentId(shipment)
                .carrier(Carrier.ALL24)
                .account("acme")
                .reference(reference)
                .references(references)
                .status(CanonicalStatus.PICKED_UP)
                .occurredAt(at)
                .location(location)
                .rawCode("200000")
                .rawText(rawText)
                .rawTime(at.toLocalDateTime().toString())
                .source(Source.POLL)
                .mappingVersion("all24-1")
                .rawField("event_code")
                .reversal(false)
                .build();
    }

    static CanonicalEvent withTime(CanonicalEvent e, OffsetDateTime at) {
        return e.toBuilder().occurredAt(at).build();
    }

    static CanonicalEvent withEta(CanonicalEvent e, OffsetDateTime eta) {
        return e.toBuilder().eta(eta).build();
    }

    static CanonicalEvent withRawText(CanonicalEvent e, String rawText) {
        return e.toBuilder().rawText(rawText).build();
    }

    static CanonicalEvent withLocation(CanonicalEvent e, Location location) {
        return e.toBuilder().location(location).build();
    }

    static CanonicalEvent withReference(CanonicalEvent e, String reference) {
        return e.toBuilder().reference(reference).build();
    }

    static CanonicalEvent withEventId(CanonicalEvent e, String eventId) {
        return e.toBuilder().eventId(eventId).build();
    }

    static CanonicalEvent withStatus(CanonicalEvent e, CanonicalStatus status) {
        return e.toBuilder().status(status).build();
    }
}
