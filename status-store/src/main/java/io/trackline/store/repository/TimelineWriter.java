package io.trackline.store.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.TracklineJson;
import io.trackline.store.service.EventFact;
import io.trackline.store.service.EventKey;
import io.trackline.store.service.ShipmentState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a batch of canonical events in one transaction and at most four round trips, whatever the batch size:
 * <ol>
 * <li>the events, once each by event id ({@code unnest} multi-row insert, {@code ON CONFLICT DO NOTHING}); a
 * redelivered event inserts nothing and so changes nothing after it;</li>
 * <li>the current state of the shipments the new events belong to, locked ({@code FOR UPDATE}, in id order);</li>
 * <li>only for shipments that got an event older than their latest one: their whole timeline, to decide the status
 * again ({@link ShipmentState#replay});</li>
 * <li>the shipments' new state (one multi-row upsert), each changed row announced on
 * {@value #CHANGES_CHANNEL} by {@code pg_notify}, which PostgreSQL delivers only when the transaction commits.</li>
 * </ol>
 * It runs on the Vert.x reactive pool that Hibernate Reactive itself runs on (the same datasource and connections):
 * the set-based statements above have no Panache or HQL form, and per-entity writes cost one statement per row
 * (docs/status-store.md, docs/benchmarks.md). The status rules are Java ({@link ShipmentState}), not SQL.
 *
 * <p>A failed write is reported as it is, rolled back whole; what it means (retry, or find the record and park it) is
 * decided by the service layer ({@code TimelineStore}), not here.
 */
@ApplicationScoped
public class TimelineWriter {

    /** PostgreSQL notification channel carrying each changed shipment as JSON. */
    public static final String CHANGES_CHANNEL = "trackline_shipment_changed";

    // JSON goes in as text and is cast in SQL: the driver would encode a String bound to jsonb as a JSON string.
    static final String INSERT_EVENTS = """
            INSERT INTO timeline_event (event_id, shipment_id, status, reason, occurred_at, raw_code, source, event_json)
            SELECT id, shipment, status, reason, occurred, code, source, json::jsonb
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
                        $8::text[]) AS t (id, shipment, status, reason, occurred, code, source, json)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id""";

    static final String LOCK_SHIPMENTS = """
            SELECT id, status, reason, status_event_id, status_event_at, status_event_rank,
                   last_event_id, last_event_at, last_event_rank, eta
            FROM shipment WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE""";

    static final String TIMELINES = """
            SELECT shipment_id, event_id, status, reason, occurred_at, (event_json ->> 'eta')::timestamptz AS eta
            FROM timeline_event WHERE shipment_id = ANY($1::text[])""";

    static final String UPSERT_SHIPMENTS = """
            WITH changed AS (
              INSERT INTO shipment AS s (id, carrier, account, reference, references_json, status, reason,
                                         status_event_id, status_event_at, status_event_rank,
                                         last_event_id, last_event_at, last_event_rank, eta)
              SELECT id, carrier, account, reference, refs::jsonb, status, reason, sid, sat, srank, lid, lat, lrank, eta
              FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::timestamptz[], $10::int4[], $11::text[], $12::timestamptz[], $13::int4[],
                          $14::timestamptz[])
                   AS t (id, carrier, account, reference, refs, status, reason, sid, sat, srank, lid, lat, lrank, eta)
              ON CONFLICT (id) DO UPDATE SET
                references_json = s.references_json || EXCLUDED.references_json,
                status = EXCLUDED.status,
                reason = EXCLUDED.reason,
                status_event_id = EXCLUDED.status_event_id,
                status_event_at = EXCLUDED.status_event_at,
                status_event_rank = EXCLUDED.status_event_rank,
                last_event_id = EXCLUDED.last_event_id,
                last_event_at = EXCLUDED.last_event_at,
                last_event_rank = EXCLUDED.last_event_rank,
                eta = EXCLUDED.eta,
                updated_at = now()
              RETURNING s.*
            ), payload AS (
              SELECT id, references_json, json_build_object('shipmentId', id, 'carrier', carrier, 'account', account,
                  'reference', reference, 'status', status, 'reason', reason, 'statusAt', status_event_at,
                  'statusEventId', status_event_id, 'lastEventAt', last_event_at, 'lastEventId', last_event_id,
                  'eta', eta, 'updatedAt', updated_at)::jsonb AS view
              FROM changed
            )
            SELECT count(pg_notify('%s', CASE
                WHEN octet_length((view || jsonb_build_object('references', references_json))::text) < 7900
                THEN (view || jsonb_build_object('references', references_json))::text
                ELSE view::text END))
            FROM payload""".formatted(CHANGES_CHANNEL);

    private final Pool pool;

    public TimelineWriter(Pool pool) {
        this.pool = pool;
    }

    /** Stores a batch in one transaction; the returned Uni completes only after the commit. */
    public Uni<WriteResult> write(List<CanonicalEvent> batch) {
        Map<String, CanonicalEvent> byId = new LinkedHashMap<>();
        batch.forEach(e -> byId.putIfAbsent(e.eventId(), e));
        if (byId.isEmpty()) {
            return Uni.createFrom().item(WriteResult.empty(batch.size()));
        }
        return pool.withTransaction(connection -> insertEvents(connection, byId.values())
                .flatMap(inserted -> {
                    List<CanonicalEvent> fresh = byId.values().stream()
                            .filter(e -> inserted.contains(e.eventId())).toList();
                    if (fresh.isEmpty()) {
                        return Uni.createFrom().item(WriteResult.empty(batch.size()));
                    }
                    return updateShipments(connection, fresh).map(shipments -> new WriteResult(batch.size(),
                            fresh.size(), batch.size() - fresh.size(), shipments.size(), shipments.replayed()));
                }));
    }

    private record Updated(int size, int replayed) {
    }

    private Uni<Updated> updateShipments(SqlConnection connection, List<CanonicalEvent> fresh) {
        Map<String, List<CanonicalEvent>> byShipment = new TreeMap<>();
        fresh.forEach(e -> byShipment.computeIfAbsent(e.shipmentId(), k -> new ArrayList<>()).add(e));
        String[] ids = byShipment.keySet().toArray(String[]::new);
        return connection.preparedQuery(LOCK_SHIPMENTS).execute(Tuple.of(ids)).flatMap(rows -> {
            Map<String, ShipmentState> current = new HashMap<>();
            for (Row row : rows) {
                current.put(row.getString("id"), state(row));
            }
            Map<String, ShipmentState> next = new HashMap<>();
            List<String> replay = new ArrayList<>();
            byShipment.forEach((id, events) -> {
                ShipmentState state = current.get(id);
                Carrier carrier = events.get(0).carrier();
                List<EventFact> facts = events.stream().map(EventFact::of)
                        .sorted(Comparator.comparing(EventFact::key)).toList();
                if (state != null && !state.inOrder(facts.get(0))) {
                    replay.add(id);
                    return;
                }
                for (EventFact fact : facts) {
                    state = ShipmentState.apply(state, carrier, fact);
                }
                next.put(id, state);
            });
            Uni<Void> replayed = replay.isEmpty() ? Uni.createFrom().voidItem()
                    : connection.preparedQuery(TIMELINES).execute(Tuple.of(replay.toArray(String[]::new)))
                            .invoke(timeline -> next.putAll(replay(timeline, byShipment))).replaceWithVoid();
            return replayed.flatMap(v -> connection.preparedQuery(UPSERT_SHIPMENTS)
                    .execute(upsertTuple(byShipment, next)))
                    .replaceWith(new Updated(byShipment.size(), replay.size()));
        });
    }

    private static Map<String, ShipmentState> replay(RowSet<Row> timeline, Map<String, List<CanonicalEvent>> byShipment) {
        Map<String, List<EventFact>> facts = new HashMap<>();
        for (Row row : timeline) {
            String reason = row.getString("reason");
            facts.computeIfAbsent(row.getString("shipment_id"), k -> new ArrayList<>()).add(new EventFact(
                    row.getString("event_id"), CanonicalStatus.valueOf(row.getString("status")),
                    reason == null ? null : CanonicalReason.valueOf(reason), row.getOffsetDateTime("occurred_at"),
                    row.getOffsetDateTime("eta")));
        }
        Map<String, ShipmentState> states = new HashMap<>();
        facts.forEach((id, timelineFacts) -> states.put(id,
                ShipmentState.replay(byShipment.get(id).get(0).carrier(), timelineFacts)));
        return states;
    }

    private static ShipmentState state(Row row) {
        String reason = row.getString("reason");
        return new ShipmentState(CanonicalStatus.valueOf(row.getString("status")),
                reason == null ? null : CanonicalReason.valueOf(reason),
                new EventKey(row.getOffsetDateTime("status_event_at"), row.getInteger("status_event_rank"),
                        row.getString("status_event_id")),
                new EventKey(row.getOffsetDateTime("last_event_at"), row.getInteger("last_event_rank"),
                        row.getString("last_event_id")),
                row.getOffsetDateTime("eta"));
    }

    private static Tuple upsertTuple(Map<String, List<CanonicalEvent>> byShipment, Map<String, ShipmentState> next) {
        int n = byShipment.size();
        String[] ids = new String[n];
        String[] carriers = new String[n];
        String[] accounts = new String[n];
        String[] references = new String[n];
        String[] referencesJson = new String[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        String[] statusIds = new String[n];
        OffsetDateTime[] statusAts = new OffsetDateTime[n];
        Integer[] statusRanks = new Integer[n];
        String[] lastIds = new String[n];
        OffsetDateTime[] lastAts = new OffsetDateTime[n];
        Integer[] lastRanks = new Integer[n];
        OffsetDateTime[] etas = new OffsetDateTime[n];
        int i = 0;
        for (Map.Entry<String, List<CanonicalEvent>> entry : byShipment.entrySet()) {
            CanonicalEvent first = entry.getValue().get(0);
            ShipmentState state = next.get(entry.getKey());
            Map<String, String> refs = new LinkedHashMap<>();
            entry.getValue().stream().filter(e -> e.references() != null).forEach(e -> refs.putAll(e.references()));
            ids[i] = entry.getKey();
            carriers[i] = first.carrier().id();
            accounts[i] = first.account();
            references[i] = first.reference();
            referencesJson[i] = toJson(refs);
            statuses[i] = state.status().name();
            reasons[i] = state.reason() == null ? null : state.reason().name();
            statusIds[i] = state.statusEvent().eventId();
            statusAts[i] = state.statusEvent().at();
            statusRanks[i] = state.statusEvent().rank();
            lastIds[i] = state.lastEvent().eventId();
            lastAts[i] = state.lastEvent().at();
            lastRanks[i] = state.lastEvent().rank();
            etas[i] = state.eta();
            i++;
        }
        return Tuple.tuple(List.of(ids, carriers, accounts, references, referencesJson, statuses, reasons, statusIds,
                statusAts, statusRanks, lastIds, lastAts, lastRanks, etas));
    }

    private static Uni<Set<String>> insertEvents(SqlConnection connection, Collection<CanonicalEvent> events) {
        int n = events.size();
        String[] ids = new String[n];
        String[] shipments = new String[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] codes = new String[n];
        String[] sources = new String[n];
        String[] json = new String[n];
        int i = 0;
        for (CanonicalEvent e : events) {
            ids[i] = e.eventId();
            shipments[i] = e.shipmentId();
            statuses[i] = e.status().name();
            reasons[i] = e.reason() == null ? null : e.reason().name();
            times[i] = e.occurredAt();
            codes[i] = e.rawCode();
            sources[i] = e.source() == null ? "unknown" : e.source().id();
            json[i] = toJson(e);
            i++;
        }
        return connection.preparedQuery(INSERT_EVENTS)
                .execute(Tuple.tuple(List.of(ids, shipments, statuses, reasons, times, codes, sources, json)))
                .map(rows -> {
                    Set<String> inserted = new HashSet<>();
                    for (Row row : rows) {
                        inserted.add(row.getString(0));
                    }
                    return inserted;
                });
    }

    private static String toJson(Object value) {
        try {
            return TracklineJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event not serializable", e);
        }
    }
}
