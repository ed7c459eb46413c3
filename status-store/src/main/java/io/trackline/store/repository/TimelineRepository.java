package io.trackline.store.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.smallrye.mutiny.Uni;
import io.trackline.events.CanonicalEvent;
import io.trackline.events.CanonicalReason;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.TracklineJson;
import io.trackline.store.EventKey;
import io.trackline.store.ShipmentState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The SQL of status-store's write path: set-based statements that write a batch of canonical events in one
 * transaction and at most four round trips, whatever the batch size. What they write is decided by the caller
 * ({@code service.TimelineWriter}); this class only reads and writes rows:
 * <ol>
 * <li>{@link Transaction#insertEvents}: the events, once each by event id ({@code unnest} multi-row insert,
 * {@code ON CONFLICT DO NOTHING}); a redelivered event inserts nothing;</li>
 * <li>{@link Transaction#lockShipments}: the current state of shipments, locked ({@code FOR UPDATE}, in id
 * order);</li>
 * <li>{@link Transaction#timelines}: whole timelines, for shipments whose status must be decided again;</li>
 * <li>{@link Transaction#upsertShipments}: the shipments' new state (one multi-row upsert), each changed row
 * announced on {@value #CHANGES_CHANNEL} by {@code pg_notify}, which PostgreSQL delivers only when the transaction
 * commits.</li>
 * </ol>
 * It runs on the Vert.x reactive pool that Hibernate Reactive itself runs on (the same datasource and connections):
 * the set-based statements above have no Panache or HQL form, and per-entity writes cost one statement per row
 * (docs/status-store.md, docs/benchmarks.md).
 */
@ApplicationScoped
public class TimelineRepository {

    /**
     * PostgreSQL notification channel carrying each changed shipment row as JSON ({@code to_jsonb} of the row, column
     * names as keys; without {@code references_json} when the row would not fit a notification). Read by
     * {@link ShipmentChanges}.
     */
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
            SELECT shipment_id, event_id, status, reason, occurred_at, (event_json ->> 'eta')::timestamptz AS eta,
                   (event_json -> 'reversal')::boolean AS reversal
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
            )
            SELECT count(pg_notify('%s', CASE
                WHEN octet_length(to_jsonb(changed)::text) < 7900 THEN to_jsonb(changed)::text
                ELSE (to_jsonb(changed) - 'references_json')::text END))
            FROM changed""".formatted(CHANGES_CHANNEL);

    private final Pool pool;

    public TimelineRepository(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction: committed when its Uni succeeds, rolled back whole when it fails. */
    public <T> Uni<T> inTransaction(Function<Transaction, Uni<T>> work) {
        return pool.withTransaction(connection -> work.apply(new Transaction(connection)));
    }

    /** The statements, on the connection of one transaction. */
    public static final class Transaction {

        private final SqlConnection connection;

        private Transaction(SqlConnection connection) {
            this.connection = connection;
        }

        /** Inserts the events not stored yet; returns the ids of those it inserted. */
        public Uni<Set<String>> insertEvents(Collection<CanonicalEvent> events) {
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
            return connection
                    .preparedQuery(INSERT_EVENTS)
                    .execute(Tuple.tuple(List.of(ids, shipments, statuses, reasons, times, codes, sources, json)))
                    .map(rows -> {
                        Set<String> inserted = new HashSet<>();
                        for (Row row : rows) {
                            inserted.add(row.getString(0));
                        }
                        return inserted;
                    });
        }

        /** Locks the shipment rows of {@code ids} that exist, until the transaction ends; returns their state by id. */
        public Uni<Map<String, ShipmentState>> lockShipments(Collection<String> ids) {
            return connection
                    .preparedQuery(LOCK_SHIPMENTS)
                    .execute(Tuple.of(ids.toArray(String[]::new)))
                    .map(rows -> {
                        Map<String, ShipmentState> states = new HashMap<>();
                        for (Row row : rows) {
                            states.put(row.getString("id"), state(row));
                        }
                        return states;
                    });
        }

        /** Every stored event of the shipments {@code ids}, in no particular order. */
        public Uni<List<TimelineRow>> timelines(Collection<String> ids) {
            return connection
                    .preparedQuery(TIMELINES)
                    .execute(Tuple.of(ids.toArray(String[]::new)))
                    .map(rows -> {
                        List<TimelineRow> timeline = new ArrayList<>();
                        for (Row row : rows) {
                            timeline.add(new TimelineRow(
                                    row.getString("shipment_id"),
                                    row.getString("event_id"),
                                    CanonicalStatus.valueOf(row.getString("status")),
                                    reason(row.getString("reason")),
                                    row.getOffsetDateTime("occurred_at"),
                                    row.getOffsetDateTime("eta"),
                                    row.getBoolean("reversal")));
                        }
                        return timeline;
                    });
        }

        /** Inserts or updates the shipments, merging references, and announces each on {@value #CHANGES_CHANNEL}. */
        public Uni<Void> upsertShipments(List<ShipmentUpsert> shipments) {
            return connection
                    .preparedQuery(UPSERT_SHIPMENTS)
                    .execute(upsertTuple(shipments))
                    .replaceWithVoid();
        }
    }

    private static ShipmentState state(Row row) {
        return new ShipmentState(
                CanonicalStatus.valueOf(row.getString("status")),
                reason(row.getString("reason")),
                new EventKey(
                        row.getOffsetDateTime("status_event_at"),
                        row.getInteger("status_event_rank"),
                        row.getString("status_event_id")),
                new EventKey(
                        row.getOffsetDateTime("last_event_at"),
                        row.getInteger("last_event_rank"),
                        row.getString("last_event_id")),
                row.getOffsetDateTime("eta"));
    }

    private static CanonicalReason reason(String reason) {
        return reason == null ? null : CanonicalReason.valueOf(reason);
    }

    private static Tuple upsertTuple(List<ShipmentUpsert> shipments) {
        int n = shipments.size();
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
        for (ShipmentUpsert shipment : shipments) {
            ShipmentState state = shipment.state();
            ids[i] = shipment.id();
            carriers[i] = shipment.carrier().id();
            accounts[i] = shipment.account();
            references[i] = shipment.reference();
            referencesJson[i] = toJson(shipment.references());
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
        return Tuple.tuple(List.of(
                ids,
                carriers,
                accounts,
                references,
                referencesJson,
                statuses,
                reasons,
                statusIds,
                statusAts,
                statusRanks,
                lastIds,
                lastAts,
                lastRanks,
                etas));
    }

    private static String toJson(Object value) {
        try {
            return TracklineJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event not serializable", e);
        }
    }
}
