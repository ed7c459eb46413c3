package io.trackline.pollers.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Rows of {@code pollers.poll_state} (migration V3), by plain JDBC: a handful of statements on sets of ids, each one
 * round trip; every write a compare-and-set on the row's version. A failure is an {@link IllegalStateException}; the
 * scheduler's tick logs it and the next tick starts from what the database holds.
 */
@ApplicationScoped
public class PollStateRepository {

    private static final String COLUMNS = "shipment_id, subscribed_at, last_polled_at, last_outcome, last_digest,"
            + " last_changed_at, next_due, consecutive_misses, first_miss_at, consecutive_errors, retired_reason,"
            + " retired_at, version";

    private static final String INSERT_MISSING = "INSERT INTO pollers.poll_state (shipment_id, subscribed_at)"
            + " SELECT * FROM unnest(?::text[], ?::text[]::timestamptz[]) ON CONFLICT (shipment_id) DO NOTHING";

    private static final String SELECT = "SELECT " + COLUMNS + " FROM pollers.poll_state WHERE shipment_id = ANY(?)";

    private static final String COMPARE_AND_SET = "UPDATE pollers.poll_state SET subscribed_at = ?,"
            + " last_polled_at = ?, last_outcome = ?, last_digest = ?, last_changed_at = ?, next_due = ?,"
            + " consecutive_misses = ?, first_miss_at = ?, consecutive_errors = ?, retired_reason = ?,"
            + " retired_at = ?, version = version + 1, updated_at = now()"
            + " WHERE shipment_id = ? AND version = ?";

    private static final String DELETE = "DELETE FROM pollers.poll_state WHERE shipment_id = ?";

    private final DataSource dataSource;

    public PollStateRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The rows of these shipments (id to subscribedAt), inserting a fresh one for each that has none. */
    public Map<String, PollStateRow> loadOrCreate(Map<String, Instant> subscribedAt) {
        if (subscribedAt.isEmpty()) {
            return Map.of();
        }
        String[] ids = new String[subscribedAt.size()];
        String[] subscribed = new String[ids.length];
        int i = 0;
        for (Map.Entry<String, Instant> s : subscribedAt.entrySet()) {
            ids[i] = s.getKey();
            subscribed[i] = s.getValue().toString();
            i++;
        }
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(INSERT_MISSING)) {
                insert.setArray(1, c.createArrayOf("text", ids));
                insert.setArray(2, c.createArrayOf("text", subscribed));
                insert.executeUpdate();
            }
            return select(c, ids);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read or create poll states: " + e.getMessage(), e);
        }
    }

    /** The rows of these shipments that exist. */
    public Map<String, PollStateRow> load(Collection<String> shipmentIds) {
        if (shipmentIds.isEmpty()) {
            return Map.of();
        }
        try (Connection c = dataSource.getConnection()) {
            return select(c, shipmentIds.toArray(String[]::new));
        } catch (SQLException e) {
            throw new IllegalStateException("could not read poll states: " + e.getMessage(), e);
        }
    }

    private static Map<String, PollStateRow> select(Connection c, String[] ids) throws SQLException {
        Map<String, PollStateRow> found = new HashMap<>();
        try (PreparedStatement select = c.prepareStatement(SELECT)) {
            Array array = c.createArrayOf("text", ids);
            select.setArray(1, array);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    PollStateRow s = row(rs);
                    found.put(s.shipmentId(), s);
                }
            }
        }
        return found;
    }

    private static PollStateRow row(ResultSet rs) throws SQLException {
        return new PollStateRow(
                rs.getString("shipment_id"),
                instant(rs, "subscribed_at"),
                instant(rs, "last_polled_at"),
                rs.getString("last_outcome"),
                rs.getString("last_digest"),
                instant(rs, "last_changed_at"),
                instant(rs, "next_due"),
                rs.getInt("consecutive_misses"),
                instant(rs, "first_miss_at"),
                rs.getInt("consecutive_errors"),
                rs.getString("retired_reason"),
                instant(rs, "retired_at"),
                rs.getLong("version"));
    }

    /**
     * Writes each row where the stored one still has the row's version, making it that version plus one.
     *
     * @return the shipment ids written
     */
    public Set<String> compareAndSet(Collection<PollStateRow> rows) {
        if (rows.isEmpty()) {
            return Set.of();
        }
        List<PollStateRow> list = List.copyOf(rows);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement(COMPARE_AND_SET)) {
                for (PollStateRow s : list) {
                    timestamp(update, 1, s.subscribedAt());
                    timestamp(update, 2, s.lastPolledAt());
                    update.setString(3, s.lastOutcome());
                    update.setString(4, s.lastDigest());
                    timestamp(update, 5, s.lastChangedAt());
                    timestamp(update, 6, s.nextDue());
                    update.setInt(7, s.misses());
                    timestamp(update, 8, s.firstMissAt());
                    update.setInt(9, s.errors());
                    update.setString(10, s.retiredReason());
                    timestamp(update, 11, s.retiredAt());
                    update.setString(12, s.shipmentId());
                    update.setLong(13, s.version());
                    update.addBatch();
                }
                int[] counts = update.executeBatch();
                c.commit();
                Set<String> written = new HashSet<>();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        written.add(list.get(i).shipmentId());
                    }
                }
                return written;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not write poll states: " + e.getMessage(), e);
        }
    }

    public void delete(String shipmentId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete = c.prepareStatement(DELETE)) {
            delete.setString(1, shipmentId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete a poll state: " + e.getMessage(), e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void timestamp(PreparedStatement s, int index, Instant value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }
}
