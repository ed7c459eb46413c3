package io.trackline.pollers.quota;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.trackline.testsupport.TestInfra;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;

/**
 * The test JVM's real PostgreSQL (test-support's, as {@code PostgresTestResource} gives it to Quarkus tests), migrated
 * by the pollers' own Flyway scripts up to the quota's, as the service migrates it ({@code quarkus.flyway.schemas} =
 * pollers). Each call of {@link #pool()} is a connection pool of its own: one per poller instance a test plays.
 */
final class QuotaDatabase {

    private static boolean migrated;
    private static final List<AgroalDataSource> POOLS = new ArrayList<>();

    private QuotaDatabase() {}

    static synchronized AgroalDataSource pool() {
        TestInfra.Postgres pg = TestInfra.postgres();
        if (!migrated) {
            Flyway.configure()
                    .dataSource(pg.jdbcUrl(), pg.user(), pg.password())
                    .schemas("pollers")
                    .defaultSchema("pollers")
                    .locations("classpath:db/migration")
                    .target("2")
                    .load()
                    .migrate();
            migrated = true;
            Runtime.getRuntime().addShutdownHook(new Thread(QuotaDatabase::closeAll, "quota-test-pools"));
        }
        try {
            AgroalDataSource pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                    .connectionPoolConfiguration(cp -> cp.maxSize(5)
                            .acquisitionTimeout(Duration.ofSeconds(10))
                            .connectionFactoryConfiguration(cf -> cf.jdbcUrl(pg.jdbcUrl())
                                    .principal(new NamePrincipal(pg.user()))
                                    .credential(new SimplePassword(pg.password())))));
            POOLS.add(pool);
            return pool;
        } catch (SQLException e) {
            throw new IllegalStateException("could not open a pool on the test database", e);
        }
    }

    private static synchronized void closeAll() {
        POOLS.forEach(AgroalDataSource::close);
    }
}
