package io.trackline.pollers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.Carrier;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Without PostgreSQL the quota cannot count, so it grants nothing, and says so in its meters and health. */
class QuotaUnavailableTest {

    /** A datasource whose every connection fails, as a pool does while PostgreSQL is away. */
    static final DataSource AWAY = (DataSource) Proxy.newProxyInstance(
            QuotaUnavailableTest.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                if (method.getName().equals("getConnection")) {
                    throw new SQLException("Connection refused", "08001");
                }
                throw new UnsupportedOperationException(method.getName());
            });

    @Test
    void nothingIsGrantedWhilePostgresqlIsAway() {
        MeterRegistry registry = new SimpleMeterRegistry();
        BucketQuota quota = Quotas.instance(
                "away",
                AWAY,
                new TestClock(Instant.parse("2026-12-01T03:00:00Z")),
                1.0,
                Quotas.defaults(),
                Quotas.noCredentials(),
                registry);

        assertThat(quota.tryTake(Carrier.ALL24, "demo")).isFalse();
        assertThat(quota.tryTake(Carrier.EXPRESS247, "demo")).isFalse();
        assertThat(quota.remainingToday(Carrier.MRSPEEDY, "demo")).isZero();
        assertThat(QuotaStateIT.count(registry, QuotaMeters.REFUSED, "all24", "demo", Map.of("reason", "unavailable")))
                .isEqualTo(1);

        quota.refresh();
        assertThat(QuotaStateIT.gauge(registry, QuotaMeters.LEFT, "all24", "demo", Map.of()))
                .isNaN();
        assertThat(new QuotaAccountsCheck(quota).call().getStatus().name()).isEqualTo("DOWN");
    }
}
