package io.trackline.pollers.quota;

import io.trackline.events.Carrier;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Cool-downs and stops of accounts in {@code pollers.quota_account}, read and written by every poller instance. Each
 * statement is its own transaction (auto-commit): a row is the latest word of any instance.
 */
final class AccountStates {

    private static final String COLUMNS =
            "carrier, account, cool_down_until, cool_down_reason, stopped_at, stop_reason, stopped_credential";

    private static final String FIND =
            "SELECT " + COLUMNS + " FROM pollers.quota_account WHERE carrier = ? AND account = ?";

    private static final String ALL = "SELECT " + COLUMNS + " FROM pollers.quota_account ORDER BY carrier, account";

    /** A cool-down only ever extends one in force: a shorter one asked later does not shorten it. */
    private static final String COOL_DOWN = "INSERT INTO pollers.quota_account"
            + " (carrier, account, cool_down_until, cool_down_reason, updated_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (carrier, account) DO UPDATE SET cool_down_until = EXCLUDED.cool_down_until,"
            + " cool_down_reason = EXCLUDED.cool_down_reason, updated_at = EXCLUDED.updated_at"
            + " WHERE quota_account.cool_down_until IS NULL"
            + " OR quota_account.cool_down_until < EXCLUDED.cool_down_until";

    /** A stop keeps its first time and reason while the same credential is refused again. */
    private static final String STOP = "INSERT INTO pollers.quota_account"
            + " (carrier, account, stopped_at, stop_reason, stopped_credential, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (carrier, account) DO UPDATE SET stopped_at = EXCLUDED.stopped_at,"
            + " stop_reason = EXCLUDED.stop_reason, stopped_credential = EXCLUDED.stopped_credential,"
            + " updated_at = EXCLUDED.updated_at"
            + " WHERE quota_account.stopped_at IS NULL"
            + " OR quota_account.stopped_credential IS DISTINCT FROM EXCLUDED.stopped_credential";

    /** Lifts a stop of the credential named, and only of that one. */
    private static final String RESUME = "UPDATE pollers.quota_account"
            + " SET stopped_at = NULL, stop_reason = NULL, stopped_credential = NULL, updated_at = ?"
            + " WHERE carrier = ? AND account = ? AND stopped_at IS NOT NULL"
            + " AND stopped_credential IS NOT DISTINCT FROM ?";

    private final DataSource dataSource;

    AccountStates(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Optional<AccountState> find(AccountId id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setString(1, id.carrier().id());
            find.setString(2, id.account());
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new QuotaUnavailableException("could not read the state of " + id, e);
        }
    }

    List<AccountState> all() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement all = connection.prepareStatement(ALL);
                ResultSet row = all.executeQuery()) {
            List<AccountState> states = new ArrayList<>();
            while (row.next()) {
                Optional<Carrier> carrier = Carrier.find(row.getString("carrier"));
                if (carrier.isPresent()) {
                    states.add(read(row));
                }
            }
            return states;
        } catch (SQLException e) {
            throw new QuotaUnavailableException("could not read the accounts' quota state", e);
        }
    }

    void coolDown(AccountId id, Instant until, String reason, Instant now) {
        update(COOL_DOWN, id, statement -> {
            statement.setString(1, id.carrier().id());
            statement.setString(2, id.account());
            statement.setObject(3, utc(until));
            statement.setString(4, reason);
            statement.setObject(5, utc(now));
        });
    }

    void stop(AccountId id, String reason, String credentialFingerprint, Instant now) {
        update(STOP, id, statement -> {
            statement.setString(1, id.carrier().id());
            statement.setString(2, id.account());
            statement.setObject(3, utc(now));
            statement.setString(4, reason);
            statement.setString(5, credentialFingerprint);
            statement.setObject(6, utc(now));
        });
    }

    /** True when this call lifted the stop (another instance may have done it first). */
    boolean resume(AccountId id, String stoppedCredential, Instant now) {
        return update(RESUME, id, statement -> {
                    statement.setObject(1, utc(now));
                    statement.setString(2, id.carrier().id());
                    statement.setString(3, id.account());
                    statement.setString(4, stoppedCredential);
                })
                > 0;
    }

    private int update(String sql, AccountId id, Binder binder) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new QuotaUnavailableException("could not write the state of " + id, e);
        }
    }

    private static AccountState read(ResultSet row) throws SQLException {
        return new AccountState(
                new AccountId(Carrier.fromId(row.getString("carrier")), row.getString("account")),
                instant(row, "cool_down_until"),
                row.getString("cool_down_reason"),
                instant(row, "stopped_at"),
                row.getString("stop_reason"),
                row.getString("stopped_credential"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
