package io.trackline.sim.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.trackline.sim.config.SimConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every quota the carriers enforce, by carrier, account and name. A request is admitted only if every quota it falls
 * under has room, and then counts against all of them; a refused request counts against none (it is an overrun of
 * the quota that refused it). Windows run on the wall clock, or on simulated time ({@code trackline.sim.quota.clock}).
 */
@ApplicationScoped
public class QuotaBook {

    private final Map<String, Quota> quotas = new ConcurrentHashMap<>();
    private final InstantSource time;
    private final SimClock clock;
    private final boolean simulated;
    private final MeterRegistry registry;

    public QuotaBook(SimConfig config, SimClock clock, MeterRegistry registry) {
        this.simulated = config.quota().clock() == SimConfig.Quota.QuotaClock.SIMULATED;
        this.clock = clock;
        this.time = simulated ? clock : InstantSource.system();
        this.registry = registry;
    }

    /** The outcome of asking for room: admitted, or refused by a quota that frees up after {@code retryAfter}. */
    public record Admission(boolean admitted, Quota refusedBy, Duration retryAfter) {}

    public Quota rolling(String carrier, String account, String name, int limit, Duration window) {
        return quota(carrier, account, name, () -> new RollingWindowQuota(carrier, account, name, limit, window));
    }

    public Quota daily(String carrier, String account, String name, long limit, ZoneId zone) {
        return quota(carrier, account, name, () -> new CalendarDayQuota(carrier, account, name, limit, zone));
    }

    private Quota quota(String carrier, String account, String name, Supplier<Quota> create) {
        return quotas.computeIfAbsent(carrier + "/" + account + "/" + name, key -> create.get());
    }

    /** Admits a request under all of {@code applicable}, or refuses it by the first that has no room. */
    public synchronized Admission admit(List<Quota> applicable) {
        Instant now = time.instant();
        for (Quota quota : applicable) {
            if (!quota.admits(now)) {
                quota.refuse(now);
                registry.counter(
                                "trackline.sim.quota.refused",
                                "carrier",
                                quota.carrier(),
                                "account",
                                quota.account(),
                                "quota",
                                quota.name())
                        .increment();
                Instant free = quota.freeAtTime(now);
                Duration wait = free.equals(Instant.MAX) ? Duration.ofDays(1) : Duration.between(now, free);
                return new Admission(false, quota, simulated ? clock.toWall(wait) : wait);
            }
        }
        for (Quota quota : applicable) {
            quota.accept(now);
        }
        return new Admission(true, null, Duration.ZERO);
    }

    public Instant now() {
        return time.instant();
    }

    public boolean simulated() {
        return simulated;
    }

    /** All quotas, by carrier, account and name. */
    public List<Quota> all() {
        List<Quota> all = new ArrayList<>(quotas.values());
        all.sort(Comparator.comparing(Quota::carrier)
                .thenComparing(Quota::account)
                .thenComparing(Quota::name));
        return all;
    }
}
