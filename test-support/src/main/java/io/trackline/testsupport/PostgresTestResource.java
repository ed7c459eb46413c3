package io.trackline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** {@code @QuarkusTestResource(PostgresTestResource.class)}: points the default datasource at real PostgreSQL. */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestInfra.Postgres pg = TestInfra.postgres();
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.reactive.url", pg.reactiveUrl(),
                "quarkus.datasource.username", pg.user(),
                "quarkus.datasource.password", pg.password());
    }

    @Override
    public void stop() {
        // Shared by the test JVM; stopped by a shutdown hook.
    }
}
