package io.trackline.pollers.repository;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code pollers.subscription} in plain JDBC. Every write names the topic position it reflects and is refused by
 * the row when the row already reflects a later one, so writes from the API (after Kafka's acknowledgement) and from
 * the topic's consumer (re-reading from the beginning) may come in any order and still end at the topic's state.
 */
@ApplicationScoped
public class SubscriptionRepository {

    private static final String COLUMNS = "shipment_id, carrier, account, reference, customer_id, subscribed_at,"
            + " deleted_at, record_partition, record_offset";

    /** A later position on the same partition, or another partition (the topic was re-created with others). */
    private static final String LATER =
            "(s.record_partition <> EXCLUDED.record_partition OR s.record_offset <= EXCLUDED.record_offset)";

    private static final String UPSERT = "INSERT INTO pollers.subscription AS s (" + COLUMNS + ", updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)"
            + " ON CONFLICT (shipment_id) DO UPDATE SET carrier = EXCLUDED.carrier, account = EXCLUDED.account,"
            + " reference = EXCLUDED.reference, customer_id = EXCLUDED.customer_id,"
            + " subscribed_at = EXCLUDED.subscribed_at, deleted_at = NULL,"
            + " record_partition = EXCLUDED.record_partition, record_offset = EXCLUDED.record_offset,"
            + " updated_at = EXCLUDED.updated_at WHERE " + LATER;

    private static final String END = "UPDATE pollers.subscription SET deleted_at = COALESCE(deleted_at, ?),"
            + " record_partition = ?, record_offset = ?, updated_at = ?"
            + " WHERE shipment_id = ? AND (record_partition <> ? OR record_offset <= ?)";

    private final DataSource dataSource;

    public SubscriptionRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The active (not ended) subscriptions among {@code shipmentIds}, by shipment id. */
    public Map<String, SubscriptionRow> findActive(Collection<String> shipmentIds) {
        if (shipmentIds.isEmpty()) {
            return Map.of();
        }
        String sql = "SELECT " + COLUMNS + " FROM pollers.subscription"
                + " WHERE shipment_id = ANY (?) AND deleted_at IS NULL";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            Array ids = c.createArrayOf("text", shipmentIds.toArray());
            s.setArray(1, ids);
            Map<String, SubscriptionRow> found = new HashMap<>();
            for (SubscriptionRow row : rows(s)) {
                found.put(row.shipmentId(), row);
            }
            return found;
        } catch (SQLException e) {
            throw new RepositoryException("could not read subscriptions", e);
        }
    }

    public Optional<SubscriptionRow> findActive(String shipmentId) {
        return Optional.ofNullable(findActive(List.of(shipmentId)).get(shipmentId));
    }

    /** Active subscriptions of one carrier's reference, in any account: at most {@code limit}. */
    public List<SubscriptionRow> findActiveByReference(Carrier carrier, String reference, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM pollers.subscription"
                + " WHERE carrier = ? AND reference = ? AND deleted_at IS NULL ORDER BY shipment_id LIMIT ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, carrier.id());
            s.setString(2, reference);
            s.setInt(3, limit);
            return rows(s);
        } catch (SQLException e) {
            throw new RepositoryException("could not read subscriptions", e);
        }
    }

    /**
     * Active subscriptions in shipment-id order, after {@code afterShipmentId} when given, at most {@code limit}.
     */
    public List<SubscriptionRow> page(
            Optional<Carrier> carrier, Optional<String> account, Optional<String> afterShipmentId, int limit) {
        StringBuilder sql =
                new StringBuilder("SELECT " + COLUMNS + " FROM pollers.subscription WHERE deleted_at IS NULL");
        List<Object> parameters = new ArrayList<>();
        carrier.ifPresent(value -> {
            sql.append(" AND carrier = ?");
            parameters.add(value.id());
        });
        account.ifPresent(value -> {
            sql.append(" AND account = ?");
            parameters.add(value);
        });
        afterShipmentId.ifPresent(value -> {
            sql.append(" AND shipment_id > ?");
            parameters.add(value);
        });
        sql.append(" ORDER BY shipment_id LIMIT ?");
        parameters.add(limit);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                s.setObject(i + 1, parameters.get(i));
            }
            return rows(s);
        } catch (SQLException e) {
            throw new RepositoryException("could not list subscriptions", e);
        }
    }

    /** Writes each row (not ended) unless its row already reflects a later record; one transaction. */
    public void upsert(List<SubscriptionRow> rows, OffsetDateTime now) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(UPSERT)) {
                for (SubscriptionRow row : rows) {
                    s.setString(1, row.shipmentId());
                    s.setString(2, row.carrier().id());
                    s.setString(3, row.account());
                    s.setString(4, row.reference());
                    s.setString(5, row.customerId());
                    s.setObject(6, row.subscribedAt());
                    s.setInt(7, row.partition());
                    s.setLong(8, row.offset());
                    s.setObject(9, now);
                    s.addBatch();
                }
                s.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RepositoryException("could not store subscriptions", e);
        }
    }

    /**
     * Marks the subscription ended by the tombstone at ({@code partition}, {@code offset}), unless its row already
     * reflects a later record.
     *
     * @return whether a row was changed
     */
    public boolean end(String shipmentId, int partition, long offset, OffsetDateTime now) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(END)) {
            s.setObject(1, now);
            s.setInt(2, partition);
            s.setLong(3, offset);
            s.setObject(4, now);
            s.setString(5, shipmentId);
            s.setInt(6, partition);
            s.setLong(7, offset);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new RepositoryException("could not end a subscription", e);
        }
    }

    private static List<SubscriptionRow> rows(PreparedStatement s) throws SQLException {
        List<SubscriptionRow> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(new SubscriptionRow(
                        r.getString("shipment_id"),
                        Carrier.fromId(r.getString("carrier")),
                        r.getString("account"),
                        r.getString("reference"),
                        r.getString("customer_id"),
                        r.getObject("subscribed_at", OffsetDateTime.class),
                        r.getObject("deleted_at", OffsetDateTime.class),
                        r.getInt("record_partition"),
                        r.getLong("record_offset")));
            }
        }
        return rows;
    }
}
