package io.trackline.pollers.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * {@code pollers.reconcile_lease} in plain JDBC: one row per MrSpeedy account naming the poller instance that
 * reconciles it until {@code expires_at}. Time is the database's ({@code now()}), so instances with skewed clocks
 * agree; each statement is its own transaction, and the decision is in the statement, so two instances asking at
 * once cannot both win.
 */
@ApplicationScoped
public class ReconcileLeases {

    private static final String HOLD = "INSERT INTO pollers.reconcile_lease AS l (account, holder, expires_at)"
            + " VALUES (?, ?, now() + make_interval(secs => ?))"
            + " ON CONFLICT (account) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,"
            + " taken_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.taken_at ELSE now() END"
            + " WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()"
            + " RETURNING holder";

    private static final String RELEASE = "DELETE FROM pollers.reconcile_lease WHERE holder = ?";

    private static final String HOLDER =
            "SELECT holder FROM pollers.reconcile_lease WHERE account = ? AND expires_at >= now()";

    private final DataSource dataSource;

    public ReconcileLeases(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Takes or renews the lease of {@code account} for {@code holder} until {@code ttl} from now.
     *
     * @return true when {@code holder} holds it now; false when another holder's lease has not expired
     */
    public boolean hold(String account, String holder, Duration ttl) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(HOLD)) {
            s.setString(1, account);
            s.setString(2, holder);
            s.setDouble(3, ttl.toMillis() / 1000.0);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new RepositoryException("reconcile lease of " + account + " not taken", e);
        }
    }

    /** Gives back every lease of {@code holder} (an instance stopping), so another takes them at its next tick. */
    public int release(String holder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(RELEASE)) {
            s.setString(1, holder);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new RepositoryException("reconcile leases of " + holder + " not released", e);
        }
    }

    /** The holder of a lease that has not expired, or null. */
    public String holder(String account) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(HOLDER)) {
            s.setString(1, account);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new RepositoryException("reconcile lease of " + account + " not read", e);
        }
    }
}
