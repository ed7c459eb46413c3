package io.trackline.pollers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.Carrier;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Cool-downs and stops, written by one instance and honoured by every other, in PostgreSQL: a 429's Retry-After, a
 * spent 247Express day until midnight in Ho Chi Minh City, a 401 that holds across restarts until the credential
 * changes or an operator clears it; and the meters that show them.
 */
class QuotaStateIT {

    /** 2026-12-01 10:00 in Bangkok and Ho Chi Minh City (+07:00). */
    static final Instant TEN_AM = Instant.parse("2026-12-01T03:00:00Z");

    final TestClock clock = new TestClock(TEN_AM);

    @Test
    void aCoolDownHoldsEveryInstanceBackUntilItEnds() {
        String account = Quotas.uniqueAccount("cool");
        BucketQuota first = Quotas.instance(account, clock, Quotas.defaults(), Quotas.noCredentials());
        BucketQuota second = Quotas.instance(account, clock, Quotas.defaults(), Quotas.noCredentials());
        assertThat(second.tryTake(Carrier.ALL24, account)).isTrue();

        first.coolDown(Carrier.ALL24, account, Duration.ofSeconds(30), "429 Retry-After: 30");
        first.coolDown(Carrier.ALL24, account, Duration.ofSeconds(5), "429 Retry-After: 5"); // never shortens
        assertThat(second.tryTake(Carrier.ALL24, account)).isFalse();
        clock.advance(Duration.ofMillis(29_999));
        assertThat(second.tryTake(Carrier.ALL24, account)).isFalse();
        assertThat(first.tryTake(Carrier.ALL24, account)).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(second.tryTake(Carrier.ALL24, account)).isTrue();
    }

    @Test
    void aSpentCarrierDayCoolsDownUntilMidnightInHoChiMinhCity() {
        String account = Quotas.uniqueAccount("apikey-limit");
        BucketQuota quota = Quotas.instance(account, clock, Quotas.defaults(), Quotas.noCredentials());
        assertThat(quota.remainingToday(Carrier.EXPRESS247, account)).isEqualTo(180_000);

        quota.coolDown(Carrier.EXPRESS247, account, Duration.ofMinutes(1), "APIKEY_LIMIT");
        assertThat(quota.remainingToday(Carrier.EXPRESS247, account)).isZero();
        clock.set(Instant.parse("2026-12-01T16:59:59Z")); // 23:59:59 there
        assertThat(quota.tryTake(Carrier.EXPRESS247, account)).isFalse();
        clock.set(Instant.parse("2026-12-01T17:00:00Z"));
        assertThat(quota.tryTake(Carrier.EXPRESS247, account)).isTrue();
        assertThat(quota.remainingToday(Carrier.EXPRESS247, account)).isEqualTo(180_000 - 1);
    }

    @Test
    void aRetryAfterIsRealTimeEvenOnACompressedClock() {
        String account = Quotas.uniqueAccount("scaled");
        // the pollers' clock runs 60 times as fast (a simulated day in 24 minutes): 5 real seconds are 300 of it
        BucketQuota quota =
                Quotas.instance(account, QuotaDatabase.pool(), clock, 60.0, Quotas.defaults(), Quotas.noCredentials());
        quota.coolDown(Carrier.MRSPEEDY, account, Duration.ofSeconds(5), "requests_limit_exceeded");
        clock.advance(Duration.ofSeconds(299));
        assertThat(quota.tryTake(Carrier.MRSPEEDY, account)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(quota.tryTake(Carrier.MRSPEEDY, account)).isTrue();
    }

    @Test
    void aStopSurvivesARestartAndEndsWithANewCredential() {
        String account = Quotas.uniqueAccount("revoked");
        AccountCredentials oldKey = Quotas.credentials(Carrier.EXPRESS247, account, "old-key-not-real");
        BucketQuota running = Quotas.instance(account, clock, Quotas.defaults(), oldKey);
        running.stop(Carrier.EXPRESS247, account, "APIKEY_NOT_FOUND for apikey=old-key-not-real");
        assertThat(running.tryTake(Carrier.EXPRESS247, account)).isFalse();

        BucketQuota restarted = Quotas.instance(account, clock, Quotas.defaults(), oldKey);
        assertThat(restarted.tryTake(Carrier.EXPRESS247, account)).isFalse();
        assertThat(restarted.remainingToday(Carrier.EXPRESS247, account)).isZero();
        clock.advance(Duration.ofDays(3));
        assertThat(restarted.tryTake(Carrier.EXPRESS247, account))
                .as("a stop does not expire")
                .isFalse();
        List<AccountState> stopped = restarted.heldAccounts().get("stopped");
        assertThat(stopped).extracting(s -> s.id().account()).contains(account);
        AccountState state = stopped.stream()
                .filter(s -> s.id().account().equals(account))
                .findFirst()
                .orElseThrow();
        assertThat(state.stopReason())
                .as("never the credential, not even in the reason")
                .isEqualTo("APIKEY_NOT_FOUND for apikey=****");
        assertThat(state.stoppedCredential()).hasSize(16).doesNotContain("old-key");

        AccountCredentials newKey = Quotas.credentials(Carrier.EXPRESS247, account, "new-key-not-real");
        BucketQuota rotated = Quotas.instance(account, clock, Quotas.defaults(), newKey);
        assertThat(rotated.tryTake(Carrier.EXPRESS247, account)).isTrue();
        assertThat(rotated.heldAccounts().get("stopped"))
                .extracting(s -> s.id().account())
                .doesNotContain(account);
    }

    @Test
    void anOperatorClearsAStop() throws Exception {
        String account = Quotas.uniqueAccount("cleared");
        DataSource pool = QuotaDatabase.pool();
        BucketQuota quota = Quotas.instance(account, pool, clock, 1.0, Quotas.defaults(), Quotas.noCredentials());
        quota.stop(Carrier.MRSPEEDY, account, "invalid_auth_token");
        assertThat(quota.tryTake(Carrier.MRSPEEDY, account)).isFalse();

        // the statement docs/pollers.md gives operators
        try (Connection c = pool.getConnection();
                PreparedStatement clear = c.prepareStatement("UPDATE pollers.quota_account SET stopped_at = NULL,"
                        + " stop_reason = NULL, stopped_credential = NULL, updated_at = now()"
                        + " WHERE carrier = ? AND account = ?")) {
            clear.setString(1, "mrspeedy");
            clear.setString(2, account);
            assertThat(clear.executeUpdate()).isEqualTo(1);
        }
        assertThat(quota.tryTake(Carrier.MRSPEEDY, account)).isTrue();
    }

    @Test
    void aCoolDownHeardWhilePostgresqlIsAwayHoldsHereAndIsWrittenWhenItAnswers() {
        String account = Quotas.uniqueAccount("unrecorded");
        DataSource pool = QuotaDatabase.pool();
        AtomicBoolean away = new AtomicBoolean();
        DataSource flaky = (DataSource) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (away.get() && method.getName().equals("getConnection")) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    try {
                        return method.invoke(pool, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        BucketQuota heard = Quotas.instance(account, flaky, clock, 1.0, Quotas.defaults(), Quotas.noCredentials());
        BucketQuota other = Quotas.instance(account, clock, Quotas.defaults(), Quotas.noCredentials());

        away.set(true);
        heard.coolDown(Carrier.ALL24, account, Duration.ofMinutes(5), "429");
        heard.stop(Carrier.MRSPEEDY, account, "invalid_auth_token");
        away.set(false);
        assertThat(heard.tryTake(Carrier.ALL24, account)).as("held here").isFalse();
        assertThat(heard.tryTake(Carrier.MRSPEEDY, account)).as("held here").isFalse();
        assertThat(other.tryTake(Carrier.ALL24, account)).as("not written yet").isTrue();

        heard.refresh();
        assertThat(other.tryTake(Carrier.ALL24, account)).isFalse();
        assertThat(other.tryTake(Carrier.MRSPEEDY, account)).isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertThat(other.tryTake(Carrier.ALL24, account)).isTrue();
        assertThat(heard.tryTake(Carrier.ALL24, account)).isTrue();
    }

    @Test
    void metersShowRefusalsCoolDownsAndStopsByFewReasons() {
        String cooling = Quotas.uniqueAccount("meter-cool");
        String stopped = Quotas.uniqueAccount("meter-stop");
        MeterRegistry registry = new SimpleMeterRegistry();
        BucketQuota quota = Quotas.instance(
                cooling, QuotaDatabase.pool(), clock, 1.0, Quotas.defaults(), Quotas.noCredentials(), registry);
        assertThat(quota.tryTake(Carrier.MRSPEEDY, cooling)).isTrue();
        quota.coolDown(Carrier.MRSPEEDY, cooling, Duration.ofMinutes(1), "requests_limit_exceeded");
        assertThat(quota.tryTake(Carrier.MRSPEEDY, cooling)).isFalse();
        quota.stop(Carrier.ALL24, stopped, "401");
        assertThat(quota.tryTake(Carrier.ALL24, stopped)).isFalse();
        quota.refresh();

        assertThat(count(registry, QuotaMeters.TAKEN, "mrspeedy", cooling, Map.of()))
                .isEqualTo(1);
        assertThat(count(registry, QuotaMeters.REFUSED, "mrspeedy", cooling, Map.of("reason", "cooling_down")))
                .isEqualTo(1);
        assertThat(count(registry, QuotaMeters.REFUSED, "all24", stopped, Map.of("reason", "stopped")))
                .isEqualTo(1);
        assertThat(gauge(registry, QuotaMeters.COOLING_DOWN, "mrspeedy", cooling, Map.of("reason", "rate_limited")))
                .isEqualTo(1);
        assertThat(gauge(registry, QuotaMeters.COOLING_DOWN, "mrspeedy", cooling, Map.of("reason", "other")))
                .isZero();
        assertThat(gauge(registry, QuotaMeters.STOPPED, "all24", stopped, Map.of("reason", "unauthorized")))
                .isEqualTo(1);
        assertThat(gauge(registry, QuotaMeters.STOPPED, "mrspeedy", cooling, Map.of("reason", "unauthorized")))
                .isZero();
        // MrSpeedy's day: 1,125 at the start, one taken; left counts the refill until midnight in Bangkok (14 h)
        assertThat(gauge(registry, QuotaMeters.USED, "mrspeedy", cooling, Map.of()))
                .isEqualTo(1);
        assertThat(gauge(registry, QuotaMeters.LEFT, "mrspeedy", cooling, Map.of()))
                .isEqualTo(1_124 + Math.floor(3_375 * 14 / 24.0));
        assertThat(gauge(registry, QuotaMeters.LEFT, "all24", stopped, Map.of()))
                .isZero();
        assertThat(gauge(registry, QuotaMeters.BUDGET, "mrspeedy", cooling, Map.of("window", "daily")))
                .isEqualTo(4_500);

        clock.advance(Duration.ofMinutes(1));
        quota.refresh();
        assertThat(gauge(registry, QuotaMeters.COOLING_DOWN, "mrspeedy", cooling, Map.of("reason", "rate_limited")))
                .isZero();
    }

    static double count(MeterRegistry registry, String name, String carrier, String account, Map<String, String> tags) {
        var search = registry.find(name).tag("carrier", carrier).tag("account", account);
        tags.forEach(search::tag);
        return search.counter().count();
    }

    static double gauge(MeterRegistry registry, String name, String carrier, String account, Map<String, String> tags) {
        var search = registry.find(name).tag("carrier", carrier).tag("account", account);
        tags.forEach(search::tag);
        return search.gauge().value();
    }
}
