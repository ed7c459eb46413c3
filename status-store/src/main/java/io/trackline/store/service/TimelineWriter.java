package io.trackline.store.service;

import io.smallrye.mutiny.Uni;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.Carrier;
import io.trackline.store.ShipmentState;
import io.trackline.store.repository.ShipmentUpsert;
import io.trackline.store.repository.TimelineRepository;
import io.trackline.store.repository.TimelineRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a batch of canonical events in one transaction ({@link TimelineRepository}: at most four round trips,
 * whatever the batch size) and decides each shipment's new status on the way ({@link StatusRules}):
 * <ol>
 * <li>the events are inserted once each by event id; only those new to the timeline count from here on (a
 * redelivered event changes nothing after it);</li>
 * <li>the shipments they belong to are locked and their current state read;</li>
 * <li>an event newer than its shipment's latest one (the common case) is applied on top of that state; a shipment
 * that got an older one has its whole timeline read and replayed ({@link StatusRules#replay});</li>
 * <li>the new states are written, and announced to every instance once committed.</li>
 * </ol>
 * A failed write is reported as it is, rolled back whole; what it means (retry, or find the record and park it) is
 * decided by {@link TimelineStore}.
 */
@ApplicationScoped
public class TimelineWriter {

    private final TimelineRepository repository;

    public TimelineWriter(TimelineRepository repository) {
        this.repository = repository;
    }

    /** Stores a batch in one transaction; the returned Uni completes only after the commit. */
    public Uni<WriteResult> write(List<CanonicalEvent> batch) {
        Map<String, CanonicalEvent> byId = new LinkedHashMap<>();
        batch.forEach(e -> byId.putIfAbsent(e.eventId(), e));
        if (byId.isEmpty()) {
            return Uni.createFrom().item(WriteResult.empty(batch.size()));
        }
        return repository.inTransaction(tx -> tx.insertEvents(byId.values()).flatMap(inserted -> {
            List<CanonicalEvent> fresh = byId.values().stream()
                    .filter(e -> inserted.contains(e.eventId()))
                    .toList();
            if (fresh.isEmpty()) {
                return Uni.createFrom().item(WriteResult.empty(batch.size()));
            }
            return updateShipments(tx, fresh)
                    .map(shipments -> new WriteResult(
                            batch.size(),
                            fresh.size(),
                            batch.size() - fresh.size(),
                            shipments.size(),
                            shipments.replayed()));
        }));
    }

    private record Updated(int size, int replayed) {}

    private static Uni<Updated> updateShipments(TimelineRepository.Transaction tx, List<CanonicalEvent> fresh) {
        Map<String, List<CanonicalEvent>> byShipment = new TreeMap<>();
        fresh.forEach(e -> byShipment
                .computeIfAbsent(e.shipmentId(), k -> new ArrayList<>())
                .add(e));
        return tx.lockShipments(byShipment.keySet()).flatMap(current -> {
            Map<String, ShipmentState> next = new HashMap<>();
            List<String> replay = new ArrayList<>();
            byShipment.forEach((id, events) -> {
                ShipmentState state = current.get(id);
                List<EventFact> facts = events.stream()
                        .map(EventFact::of)
                        .sorted(Comparator.comparing(EventFact::key))
                        .toList();
                if (state != null && !StatusRules.inOrder(state, facts.get(0))) {
                    replay.add(id);
                    return;
                }
                for (EventFact fact : facts) {
                    state = StatusRules.apply(state, fact);
                }
                next.put(id, state);
            });
            Uni<Void> replayed = replay.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : tx.timelines(replay)
                            .invoke(timeline -> next.putAll(replay(timeline, byShipment)))
                            .replaceWithVoid();
            return replayed.flatMap(v -> tx.upsertShipments(upserts(byShipment, next)))
                    .replaceWith(new Updated(byShipment.size(), replay.size()));
        });
    }

    /** The state each replayed shipment's whole timeline gives (the new events are stored in it already). */
    private static Map<String, ShipmentState> replay(
            List<TimelineRow> timeline, Map<String, List<CanonicalEvent>> byShipment) {
        Map<String, List<EventFact>> facts = new HashMap<>();
        for (TimelineRow row : timeline) {
            Carrier carrier = byShipment.get(row.shipmentId()).get(0).carrier();
            facts.computeIfAbsent(row.shipmentId(), k -> new ArrayList<>()).add(EventFact.of(row, carrier));
        }
        Map<String, ShipmentState> states = new HashMap<>();
        facts.forEach((id, timelineFacts) -> states.put(id, StatusRules.replay(timelineFacts)));
        return states;
    }

    private static List<ShipmentUpsert> upserts(
            Map<String, List<CanonicalEvent>> byShipment, Map<String, ShipmentState> next) {
        List<ShipmentUpsert> upserts = new ArrayList<>(byShipment.size());
        byShipment.forEach((id, events) -> {
            CanonicalEvent first = events.get(0);
            Map<String, String> refs = new LinkedHashMap<>();
            events.stream().filter(e -> e.references() != null).forEach(e -> refs.putAll(e.references()));
            upserts.add(
                    new ShipmentUpsert(id, first.carrier(), first.account(), first.reference(), refs, next.get(id)));
        });
        return upserts;
    }
}
