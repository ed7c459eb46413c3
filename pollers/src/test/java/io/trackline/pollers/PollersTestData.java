package io.trackline.pollers;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** What the pollers' ITs share: the test API key, unique references, a look at the application's database. */
final class PollersTestData {

    static final String KEY = "test-api-key-not-real";

    private PollersTestData() {}

    static RequestSpecification api() {
        return given().header("X-API-Key", KEY);
    }

    /** A 247Express order code no other test uses: 12 characters. */
    static String orderCode() {
        return "T"
                + Long.toString(ThreadLocalRandom.current().nextLong(1L << 50, 1L << 55), 36)
                        .toUpperCase();
    }

    /** A MrSpeedy order id no other test uses. */
    static String orderId() {
        return Long.toString(ThreadLocalRandom.current().nextLong(10_000_000_000L, 90_000_000_000L));
    }

    /** An all24 tracking number no other test uses. */
    static String all24Number() {
        return "HS"
                + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36)
                        .toUpperCase();
    }

    /** One number from the application's database. */
    static long count(String sql, String parameter) {
        Config config = ConfigProvider.getConfig();
        try (Connection c = DriverManager.getConnection(
                        config.getValue("quarkus.datasource.jdbc.url", String.class),
                        config.getValue("quarkus.datasource.username", String.class),
                        config.getOptionalValue("quarkus.datasource.password", String.class)
                                .orElse(""));
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
