package io.trackline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.infra.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The PostgreSQL a machine without one gets: a real server that keeps its data across a restart. */
class EmbeddedPostgresIT {

    @Test
    void embeddedServerTakesADatabaseAndKeepsItsDataAcrossARestart() throws Exception {
        try (TestInfra.EmbeddedServer server = TestInfra.startOwnPostgres()) {
            LocalPostgres.ensureDatabase("127.0.0.1", server.port(), "postgres", "", "trackline_it");
            LocalPostgres.ensureDatabase("127.0.0.1", server.port(), "postgres", "", "trackline_it"); // idempotent
            String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/trackline_it";
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v TEXT)");
                s.execute("INSERT INTO kept VALUES ('before restart')");
            }

            server.restart();

            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT v, current_setting('server_version_num')::int FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("before restart");
                assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(140000);
            }
        }
    }

    @Test
    void answersTellsAnOpenPortFromAClosedOne() throws Exception {
        try (TestInfra.EmbeddedServer server = TestInfra.startOwnPostgres()) {
            assertThat(LocalPostgres.answers("127.0.0.1", server.port(), 1000)).isTrue();
            server.stop();
            assertThat(LocalPostgres.answers("127.0.0.1", server.port(), 1000)).isFalse();
        }
    }
}
