package io.trackline.pollers.repository;

import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code pollers.shipment_status} in plain JDBC: per shipment, the status of its newest event. An event replaces
 * the row's status when it occurred later than the newest one so far, or at the same instant with a final status
 * over a status that is not (all24 sends "Goods arrived" and "Delivery complete" within one second); the status
 * stays, with its {@code status_since}, when the newer event says the same. The decision is in the statement, so
 * concurrent writers and batches in any order end at the same row.
 */
@ApplicationScoped
public class ShipmentStatusRepository {

    private static final String COLUMNS = "shipment_id, carrier, account, reference, alias_id, status, status_since,"
            + " last_occurred_at, last_event_id, last_event_at, eta";

    private static final String RECORD = "INSERT INTO pollers.shipment_status AS s (" + COLUMNS + ", is_final)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (shipment_id) DO UPDATE SET alias_id = COALESCE(EXCLUDED.alias_id, s.alias_id),"
            + " status = EXCLUDED.status, is_final = EXCLUDED.is_final,"
            + " status_since = CASE WHEN s.status = EXCLUDED.status THEN s.status_since"
            + " ELSE EXCLUDED.status_since END,"
            + " last_occurred_at = EXCLUDED.last_occurred_at, last_event_id = EXCLUDED.last_event_id,"
            + " last_event_at = EXCLUDED.last_event_at, eta = COALESCE(EXCLUDED.eta, s.eta)"
            + " WHERE EXCLUDED.last_occurred_at > s.last_occurred_at"
            + " OR (EXCLUDED.last_occurred_at = s.last_occurred_at AND EXCLUDED.is_final AND NOT s.is_final)";

    private final DataSource dataSource;

    public ShipmentStatusRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Applies each event's row, in order, in one transaction. */
    public void record(List<StatusRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(RECORD)) {
                for (StatusRow row : rows) {
                    s.setString(1, row.shipmentId());
                    s.setString(2, row.carrier().id());
                    s.setString(3, row.account());
                    s.setString(4, row.reference());
                    s.setString(5, row.aliasId());
                    s.setString(6, row.status().name());
                    s.setObject(7, row.statusSince());
                    s.setObject(8, row.lastOccurredAt());
                    s.setString(9, row.lastEventId());
                    s.setObject(10, row.lastEventAt());
                    s.setObject(11, row.eta());
                    s.setBoolean(12, row.status().isFinal());
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RepositoryException("could not store shipment statuses", e);
        }
    }

    /** The row of a shipment id, or of the all24 third-party shipment id it is known by. */
    public Optional<StatusRow> find(String shipmentId) {
        return Optional.ofNullable(findAll(List.of(shipmentId)).get(shipmentId));
    }

    /** The rows of those ids (shipment ids or all24 third-party aliases), by the id asked for. */
    public Map<String, StatusRow> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        String sql = "SELECT " + COLUMNS + " FROM pollers.shipment_status"
                + " WHERE shipment_id = ANY (?) OR alias_id = ANY (?)";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("text", ids.toArray());
            s.setArray(1, array);
            s.setArray(2, array);
            Map<String, StatusRow> found = new LinkedHashMap<>();
            for (StatusRow row : rows(s)) {
                // a shipment's own id wins over an alias of another shipment
                if (row.aliasId() != null && ids.contains(row.aliasId())) {
                    found.putIfAbsent(row.aliasId(), row);
                }
                if (ids.contains(row.shipmentId())) {
                    found.put(row.shipmentId(), row);
                }
            }
            return found;
        } catch (SQLException e) {
            throw new RepositoryException("could not read shipment statuses", e);
        }
    }

    /** One account's shipments not in a final status, the oldest news first, at most {@code limit}. */
    public List<StatusRow> notFinal(Carrier carrier, String account, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM pollers.shipment_status"
                + " WHERE carrier = ? AND account = ? AND NOT is_final ORDER BY last_event_at, shipment_id LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, carrier.id());
            s.setString(2, account);
            s.setInt(3, limit);
            return rows(s);
        } catch (SQLException e) {
            throw new RepositoryException("could not read shipment statuses", e);
        }
    }

    private static List<StatusRow> rows(PreparedStatement s) throws SQLException {
        List<StatusRow> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(new StatusRow(
                        r.getString("shipment_id"),
                        Carrier.fromId(r.getString("carrier")),
                        r.getString("account"),
                        r.getString("reference"),
                        r.getString("alias_id"),
                        CanonicalStatus.valueOf(r.getString("status")),
                        r.getObject("status_since", OffsetDateTime.class),
                        r.getObject("last_occurred_at", OffsetDateTime.class),
                        r.getString("last_event_id"),
                        r.getObject("last_event_at", OffsetDateTime.class),
                        r.getObject("eta", OffsetDateTime.class)));
            }
        }
        return rows;
    }
}
