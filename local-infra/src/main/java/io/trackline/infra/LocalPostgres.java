package io.trackline.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/** A real PostgreSQL for machines that have none: the server binaries shipped in Maven artifacts (zonky). */
public final class LocalPostgres implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts a server.
     *
     * @param port    port on 127.0.0.1, or 0 for any free one
     * @param dataDir where the data lives, kept across restarts; null for a temporary folder removed on close
     */
    public static LocalPostgres start(int port, Path dataDir) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", dataDir == null ? "off" : "on");
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
        }
        return new LocalPostgres(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    /** True when something accepts TCP connections on host:port within the timeout. */
    public static boolean answers(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates the database on the server if it does not exist yet; connects to the {@code postgres} database. */
    public static void ensureDatabase(String host, int port, String user, String password, String database)
            throws SQLException {
        try (Connection connection = maintenance(host, port, user, password, database);
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            } catch (SQLException e) {
                // Another process may have created it between the check and the create.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** Drops the database if it exists, closing its remaining connections (PostgreSQL 13 and later). */
    public static void dropDatabase(String host, int port, String user, String password, String database)
            throws SQLException {
        try (Connection connection = maintenance(host, port, user, password, database);
                Statement drop = connection.createStatement()) {
            drop.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** A connection to the server's {@code postgres} database, to manage {@code database} (a checked name). */
    private static Connection maintenance(String host, int port, String user, String password, String database)
            throws SQLException {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME);
        }
        return DriverManager.getConnection("jdbc:postgresql://" + host + ':' + port + "/postgres", user, password);
    }
}
