package io.trackline.pollers.quota;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.Carrier;
import io.trackline.pollers.config.QuotaConfig;
import io.trackline.pollers.config.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** Quota instances for tests: the production defaults, or limits of a test's own, each on a pool of its own. */
final class Quotas {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private Quotas() {}

    /** An account name no other test (or earlier run on a reused database) has used. */
    static String uniqueAccount(String prefix) {
        return prefix + '-' + System.currentTimeMillis() + '-' + SEQUENCE.incrementAndGet();
    }

    /** The carriers' defaults of {@link QuotaConfig}, as application.properties sets them. */
    static Map<Carrier, QuotaPlan.CarrierLimits> defaults() {
        Map<Carrier, QuotaPlan.CarrierLimits> limits = new EnumMap<>(Carrier.class);
        limits.put(Carrier.ALL24, limits(600, OptionalLong.empty(), OptionalLong.empty(), 0.10, Map.of()));
        limits.put(
                Carrier.EXPRESS247, limits(600, OptionalLong.of(200_000), OptionalLong.of(3_000_000), 0.10, Map.of()));
        limits.put(Carrier.MRSPEEDY, limits(100, OptionalLong.of(5_000), OptionalLong.empty(), 0.10, Map.of()));
        return limits;
    }

    static QuotaPlan.CarrierLimits limits(
            long perMinute,
            OptionalLong daily,
            OptionalLong overall,
            double margin,
            Map<String, QuotaConfig.AccountLimits> accounts) {
        return new QuotaPlan.CarrierLimits(perMinute, daily, overall, margin, accounts);
    }

    static QuotaConfig.AccountLimits account(OptionalLong perMinute, OptionalLong daily) {
        return new QuotaConfig.AccountLimits() {
            @Override
            public OptionalLong dailyLimit() {
                return daily;
            }

            @Override
            public OptionalLong perMinuteLimit() {
                return perMinute;
            }
        };
    }

    static Map<Carrier, QuotaPlan.CarrierLimits> with(
            Map<Carrier, QuotaPlan.CarrierLimits> limits, Carrier carrier, QuotaPlan.CarrierLimits own) {
        Map<Carrier, QuotaPlan.CarrierLimits> changed = new EnumMap<>(limits);
        changed.put(carrier, own);
        return changed;
    }

    static AccountCredentials credentials(Carrier carrier, String account, String credential) {
        Map<Carrier, Map<String, Secret>> all = new EnumMap<>(Carrier.class);
        all.put(carrier, Map.of(account, Secret.of(credential)));
        return new AccountCredentials(all);
    }

    static AccountCredentials noCredentials() {
        return new AccountCredentials(Map.of());
    }

    /**
     * A poller instance's quota: a proxy manager and a pool of its own on the shared database. Instances of one
     * {@code namespace} share their buckets (one deployment); tests use one each, so that 247Express's overall
     * bucket is theirs alone.
     */
    static BucketQuota instance(
            String namespace,
            Clock clock,
            Map<Carrier, QuotaPlan.CarrierLimits> limits,
            AccountCredentials credentials) {
        return instance(namespace, QuotaDatabase.pool(), clock, 1.0, limits, credentials);
    }

    static BucketQuota instance(
            String namespace,
            DataSource pool,
            Clock clock,
            double clockRate,
            Map<Carrier, QuotaPlan.CarrierLimits> limits,
            AccountCredentials credentials) {
        return instance(namespace, pool, clock, clockRate, limits, credentials, new SimpleMeterRegistry());
    }

    static BucketQuota instance(
            String namespace,
            DataSource pool,
            Clock clock,
            double clockRate,
            Map<Carrier, QuotaPlan.CarrierLimits> limits,
            AccountCredentials credentials,
            MeterRegistry registry) {
        return new BucketQuota(
                pool,
                new QuotaPlan(limits),
                clock,
                clockRate,
                credentials,
                registry,
                Duration.ofSeconds(10),
                namespace + '/');
    }
}
