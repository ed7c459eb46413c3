package io.trackline.pollers.quota;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.trackline.events.Carrier;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The quota's meters, per account ({@code carrier}, {@code account} tags; no reference is ever a tag). Counters count
 * this instance's decisions; gauges show the shared state in PostgreSQL as last read ({@link BucketQuota#refresh()}),
 * NaN before the first read or while PostgreSQL does not answer.
 */
final class QuotaMeters {

    static final String TAKEN = "trackline.pollers.quota.taken";
    static final String REFUSED = "trackline.pollers.quota.refused";
    static final String LEFT = "trackline.pollers.quota.left";
    static final String USED = "trackline.pollers.quota.used";
    static final String BUDGET = "trackline.pollers.quota.budget";
    static final String COOLING_DOWN = "trackline.pollers.quota.cooling.down";
    static final String STOPPED = "trackline.pollers.quota.stopped";
    static final String OVERALL_LEFT = "trackline.pollers.quota.overall.left";

    /** Why {@code tryTake} said no: the {@code reason} tag of {@link #REFUSED}. */
    enum Refusal {
        PER_MINUTE(QuotaPlan.PER_MINUTE),
        DAILY(QuotaPlan.DAILY),
        OVERALL(QuotaPlan.OVERALL),
        COOLING_DOWN("cooling_down"),
        STOPPED("stopped"),
        /** PostgreSQL did not answer: nothing is granted that cannot be counted. */
        UNAVAILABLE("unavailable");

        final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        static Refusal ofBandwidth(String id) {
            return switch (id) {
                case QuotaPlan.DAILY -> DAILY;
                case QuotaPlan.OVERALL -> OVERALL;
                default -> PER_MINUTE;
            };
        }
    }

    /** One account's meters and the last state read for its gauges. */
    static final class Account {
        final Counter taken;
        final Map<Refusal, Counter> refused = new EnumMap<>(Refusal.class);
        volatile double left = Double.NaN;
        volatile double used = Double.NaN;
        volatile Reasons.CoolDown coolingDown;
        volatile Reasons.Stop stopped;

        Account(MeterRegistry registry, AccountId id, QuotaPlan.Budget budget) {
            Tags tags = Tags.of("carrier", id.carrier().id(), "account", id.account());
            taken = Counter.builder(TAKEN)
                    .description("Look-ups this instance took from the account's shared quota")
                    .tags(tags)
                    .register(registry);
            for (Refusal reason : Refusal.values()) {
                refused.put(
                        reason,
                        Counter.builder(REFUSED)
                                .description("Look-ups the quota refused, by reason")
                                .tags(tags.and("reason", reason.tag))
                                .register(registry));
            }
            Gauge.builder(LEFT, this, a -> a.left)
                    .description("Look-ups the account may still make before the carrier's next local midnight")
                    .tags(tags)
                    .register(registry);
            Gauge.builder(USED, this, a -> a.used)
                    .description("Tokens of the account's daily budget (per-minute if it has none) spent and not"
                            + " yet given back by its refill")
                    .tags(tags)
                    .register(registry);
            Gauge.builder(BUDGET, budget::perMinute)
                    .description("The account's budget after the margin, per window")
                    .tags(tags.and("window", QuotaPlan.PER_MINUTE))
                    .register(registry);
            budget.daily()
                    .ifPresent(daily -> Gauge.builder(BUDGET, () -> daily)
                            .description("The account's budget after the margin, per window")
                            .tags(tags.and("window", QuotaPlan.DAILY))
                            .register(registry));
            for (Reasons.CoolDown reason : Reasons.CoolDown.values()) {
                Gauge.builder(COOLING_DOWN, this, a -> a.coolingDown == reason ? 1 : 0)
                        .description("1 while the account cools down for this reason (429, a spent carrier quota)")
                        .tags(tags.and("reason", reason.tag))
                        .register(registry);
            }
            for (Reasons.Stop reason : Reasons.Stop.values()) {
                Gauge.builder(STOPPED, this, a -> a.stopped == reason ? 1 : 0)
                        .description("1 while the account is stopped for this reason (401, a revoked credential)")
                        .tags(tags.and("reason", reason.tag))
                        .register(registry);
            }
        }

        void refused(Refusal reason) {
            refused.get(reason).increment();
        }
    }

    private final MeterRegistry registry;
    private final ConcurrentMap<AccountId, Account> accounts = new ConcurrentHashMap<>();
    private final Map<Carrier, OverallLeft> overall = new ConcurrentHashMap<>();

    QuotaMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    Account account(AccountId id, QuotaPlan plan) {
        Account known = accounts.get(id);
        return known != null
                ? known
                : accounts.computeIfAbsent(id, a -> new Account(registry, a, plan.budget(a.carrier(), a.account())));
    }

    Map<AccountId, Account> accounts() {
        return accounts;
    }

    void overallLeft(Carrier carrier, double left) {
        overall.computeIfAbsent(carrier, c -> new OverallLeft(registry, c)).left = left;
    }

    private static final class OverallLeft {
        volatile double left = Double.NaN;

        OverallLeft(MeterRegistry registry, Carrier carrier) {
            Gauge.builder(OVERALL_LEFT, this, o -> o.left)
                    .description("Look-ups all of the carrier's accounts together may still make today")
                    .tags("carrier", carrier.id())
                    .register(registry);
        }
    }
}
