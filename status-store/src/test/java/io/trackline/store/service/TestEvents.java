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

    private TestEvents() {
    }

    static CanonicalEvent valid(String reference) {
        return event(reference, T0, "picked up at the hub", Location.named("Hub", "Bangkok", "10110"),
                Map.of("trackingNumber", reference));
    }

    static CanonicalEvent event(String reference, OffsetDateTime at, String rawText, Location location,
            Map<String, String> references) {
        String shipment = ShipmentIds.of(Carrier.ALL24, "acme", reference);
        return new CanonicalEvent(CanonicalEvent.SCHEMA_VERSION, "ev-" + UUID.randomUUID(), shipment, Carrier.ALL24,
                "acme", reference, references, CanonicalStatus.PICKED_UP, null, at, location, "200000", rawText,
                at.toLocalDateTime().toString(), Source.POLL, null, "all24-1", "event_code");
    }

    static CanonicalEvent withTime(CanonicalEvent e, OffsetDateTime at) {
        return new CanonicalEvent(e.schemaVersion(), e.eventId(), e.shipmentId(), e.carrier(), e.account(),
                e.reference(), e.references(), e.status(), e.reason(), at, e.location(), e.rawCode(), e.rawText(),
                e.rawTime(), e.source(), e.eta(), e.mappingVersion(), e.rawField());
    }

    static CanonicalEvent withEta(CanonicalEvent e, OffsetDateTime eta) {
        return new CanonicalEvent(e.schemaVersion(), e.eventId(), e.shipmentId(), e.carrier(), e.account(),
                e.reference(), e.references(), e.status(), e.reason(), e.occurredAt(), e.location(), e.rawCode(),
                e.rawText(), e.rawTime(), e.source(), eta, e.mappingVersion(), e.rawField());
    }

    static CanonicalEvent withRawText(CanonicalEvent e, String rawText) {
        return new CanonicalEvent(e.schemaVersion(), e.eventId(), e.shipmentId(), e.carrier(), e.account(),
                e.reference(), e.references(), e.status(), e.reason(), e.occurredAt(), e.location(), e.rawCode(),
                rawText, e.rawTime(), e.source(), e.eta(), e.mappingVersion(), e.rawField());
    }

    static CanonicalEvent withLocation(CanonicalEvent e, Location location) {
        return new CanonicalEvent(e.schemaVersion(), e.eventId(), e.shipmentId(), e.carrier(), e.account(),
                e.reference(), e.references(), e.status(), e.reason(), e.occurredAt(), location, e.rawCode(),
                e.rawText(), e.rawTime(), e.source(), e.eta(), e.mappingVersion(), e.rawField());
    }

    static CanonicalEvent withReference(CanonicalEvent e, String reference) {
        return new CanonicalEvent(e.schemaVersion(), e.eventId(), e.shipmentId(), e.carrier(), e.account(),
                reference, e.references(), e.status(), e.reason(), e.occurredAt(), e.location(), e.rawCode(),
                e.rawText(), e.rawTime(), e.source(), e.eta(), e.mappingVersion(), e.rawField());
    }

    static CanonicalEvent withEventId(CanonicalEvent e, String eventId) {
        return new CanonicalEvent(e.schemaVersion(), eventId, e.shipmentId(), e.carrier(), e.account(),
                e.reference(), e.references(), e.status(), e.reason(), e.occurredAt(), e.location(), e.rawCode(),
                e.rawText(), e.rawTime(), e.source(), e.eta(), e.mappingVersion(), e.rawField());
    }

    static CanonicalEvent withStatus(CanonicalEvent e, CanonicalStatus status) {
        return new CanonicalEvent(e.schemaVersion(), e.eventId(), e.shipmentId(), e.carrier(), e.account(),
                e.reference(), e.references(), status, e.reason(), e.occurredAt(), e.location(), e.rawCode(),
                e.rawText(), e.rawTime(), e.source(), e.eta(), e.mappingVersion(), e.rawField());
    }
}
