package io.trackline.pollers.quota;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketState;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.BucketTableSettings;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.jdbc.SQLProxyConfiguration;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.PostgreSQLadvisoryLockBasedProxyManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.trackline.events.Carrier;
import io.trackline.pollers.config.CarrierAccounts;
import io.trackline.pollers.config.ClockConfig;
import io.trackline.pollers.config.QuotaConfig;
import io.trackline.pollers.service.Quota;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * {@link Quota} on PostgreSQL: Bucket4j token buckets in {@code pollers.quota_bucket}, cool-downs and stops in
 * {@code pollers.quota_account}, both shared by every poller instance and kept across restarts.
 *
 * <p>Each account has one bucket holding its per-minute and its daily bandwidth, so both are taken from in one
 * transaction: one of them alone can never be overdrawn by the other's refusal. 247Express's overall limit is a bucket
 * of its own, shared by all keys, taken from second; when it refuses, the account's token is given back. A token
 * taken and given back was never sent, so the buckets never hold less than was actually spent; a token lost between
 * the two (a crash, PostgreSQL gone) only makes the quota stricter. Whenever PostgreSQL does not answer, nothing is
 * granted.
 */
@ApplicationScoped
public class BucketQuota implements Quota {

    /** Bucket4j's table, schema-qualified: its SQL names the table as given and the pool's search path is public. */
    static final String BUCKET_TABLE = "pollers.quota_bucket";

    private static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final ProxyManager<String> buckets;
    private final AccountStates states;
    private final QuotaPlan plan;
    private final Clock clock;
    private final double clockRate;
    private final AccountCredentials credentials;
    private final QuotaMeters meters;
    private final ConcurrentMap<String, BucketProxy> proxies = new ConcurrentHashMap<>();
    private final AtomicLong lastUnavailableLog = new AtomicLong(Long.MIN_VALUE);
    private final String keyPrefix;

    /**
     * Cool-downs and stops heard while PostgreSQL did not take them: honoured by this instance, written by the next
     * {@link #refresh()} that reaches PostgreSQL.
     */
    private final ConcurrentMap<AccountId, Unrecorded> unrecorded = new ConcurrentHashMap<>();

    private record Unrecorded(Instant coolDownUntil, String coolDownReason, String stopReason, String credential) {}

    @Inject
    BucketQuota(
            DataSource dataSource,
            QuotaConfig config,
            Clock clock,
            ClockConfig clockConfig,
            CarrierAccounts accounts,
            MeterRegistry registry) {
        this(
                dataSource,
                QuotaPlan.from(config),
                clock,
                (double) Duration.ofDays(1).toNanos()
                        / clockConfig.simulatedDay().toNanos(),
                AccountCredentials.from(accounts),
                registry,
                config.requestTimeout(),
                "");
    }

    /**
     * @param clockRate how many times faster than real time {@code clock} runs: a carrier's Retry-After (real
     *     seconds) is that many seconds of the pollers' clock
     * @param requestTimeout how long one bucket operation may take, real time. Bucket4j measures it on the client
     *     clock, which is {@code clock}: on a clock running {@code clockRate} times faster it is that many times
     *     longer there (unscaled, a 5 s timeout on a 240 times faster clock refused every operation slower than 21 ms)
     * @param keyPrefix prepended to every bucket id: empty in the service; a test's own, so that tests sharing a
     *     database do not share 247Express's overall bucket
     */
    BucketQuota(
            DataSource dataSource,
            QuotaPlan plan,
            Clock clock,
            double clockRate,
            AccountCredentials credentials,
            MeterRegistry registry,
            Duration requestTimeout,
            String keyPrefix) {
        this.buckets = new PostgreSQLadvisoryLockBasedProxyManager<>(SQLProxyConfiguration.builder()
                .withClientSideConfig(ClientSideConfig.getDefault()
                        .withClientClock(new ClockTimeMeter(clock))
                        .withRequestTimeout(onClock(requestTimeout, clockRate)))
                .withTableSettings(BucketTableSettings.customSettings(BUCKET_TABLE, "id", "state"))
                .withPrimaryKeyMapper(PrimaryKeyMapper.STRING)
                .build(dataSource));
        this.states = new AccountStates(dataSource);
        this.plan = plan;
        this.clock = clock;
        this.clockRate = clockRate;
        this.credentials = credentials;
        this.meters = new QuotaMeters(registry);
        this.keyPrefix = keyPrefix;
    }

    /** Meters exist from the start for every account named in configuration, so an alert sees a series at once. */
    void registerAccounts(@Observes StartupEvent start) {
        for (Carrier carrier : Carrier.values()) {
            credentials.accounts(carrier).forEach(account -> meters.account(new AccountId(carrier, account), plan));
            plan.configuredAccounts(carrier).forEach(account -> meters.account(new AccountId(carrier, account), plan));
        }
    }

    @Override
    public boolean tryTake(Carrier carrier, String account) {
        AccountId id = new AccountId(carrier, account);
        QuotaMeters.Account meter = meters.account(id, plan);
        try {
            Optional<QuotaMeters.Refusal> held = heldBack(id, clock.instant());
            if (held.isPresent()) {
                meter.refused(held.get());
                return false;
            }
            BucketProxy own = accountBucket(id);
            VerboseResult<Boolean> taken = own.asVerbose().tryConsume(1);
            if (!taken.getValue()) {
                meter.refused(emptyBandwidth(taken));
                return false;
            }
            Optional<BucketProxy> overall = overallBucket(carrier);
            if (overall.isPresent() && !overall.get().tryConsume(1)) {
                own.addTokens(1);
                meter.refused(QuotaMeters.Refusal.OVERALL);
                return false;
            }
            meter.taken.increment();
            return true;
        } catch (RuntimeException e) {
            unavailable(id, e);
            meter.refused(QuotaMeters.Refusal.UNAVAILABLE);
            return false;
        }
    }

    /**
     * {@code period} is real time, as a carrier's Retry-After says it; on a scaled clock it lasts that long in real
     * time. A spent calendar-day quota (247Express APIKEY_LIMIT) lasts until the carrier's next local midnight,
     * whatever the period. A cool-down never shortens one already in force.
     */
    @Override
    public void coolDown(Carrier carrier, String account, Duration period, String reason) {
        AccountId id = new AccountId(carrier, account);
        String why = Reasons.clean(credentials.mask(id, reason));
        Instant now = clock.instant();
        Reasons.CoolDown kind = Reasons.coolDown(why);
        Instant until = kind == Reasons.CoolDown.QUOTA_EXHAUSTED && QuotaPlan.day(carrier) == QuotaPlan.Day.CALENDAR
                ? QuotaPlan.nextMidnight(carrier, now)
                : now.plus(onClock(period == null || period.isNegative() ? Duration.ZERO : period));
        try {
            states.coolDown(id, until, why, now);
        } catch (RuntimeException e) {
            unrecorded.merge(
                    id,
                    new Unrecorded(until, why, null, null),
                    (was, added) -> new Unrecorded(
                            was.coolDownUntil() != null && was.coolDownUntil().isAfter(until)
                                    ? was.coolDownUntil()
                                    : until,
                            why,
                            was.stopReason(),
                            was.credential()));
            Log.errorf("quota: %s cools down, on this instance only until PostgreSQL answers (%s)", id, e.getMessage());
        }
        QuotaMeters.Account meter = meters.account(id, plan);
        if (meter.coolingDown == null) {
            meter.coolingDown = kind;
        }
        Log.warnf("quota: %s cools down until %s (%s)", id, until, why);
    }

    /**
     * Stops the account while its configured credential is the one refused: a new credential in configuration (a
     * restart with it) resumes it, as does an operator clearing the row (docs/pollers.md, "Quota").
     */
    @Override
    public void stop(Carrier carrier, String account, String reason) {
        AccountId id = new AccountId(carrier, account);
        String why = Reasons.clean(credentials.mask(id, reason));
        String credential = credentials.fingerprint(id);
        try {
            states.stop(id, why, credential, clock.instant());
        } catch (RuntimeException e) {
            unrecorded.merge(
                    id,
                    new Unrecorded(null, null, why, credential),
                    (was, added) -> new Unrecorded(was.coolDownUntil(), was.coolDownReason(), why, credential));
            Log.errorf("quota: %s is stopped, on this instance only until PostgreSQL answers (%s)", id, e.getMessage());
        }
        meters.account(id, plan).stopped = Reasons.stop(why);
        Log.errorf(
                "quota: %s is stopped (%s): nothing is sent for it until its credential changes in configuration"
                        + " or an operator clears pollers.quota_account",
                id, why);
    }

    /**
     * Look-ups the account may still make before the carrier's next local midnight: the least of what each of its
     * bandwidths (and the overall bucket) holds plus what a rolling one refills until then; 0 while it is stopped or
     * cools down past midnight, and 0 when PostgreSQL does not answer.
     */
    @Override
    public long remainingToday(Carrier carrier, String account) {
        AccountId id = new AccountId(carrier, account);
        try {
            Instant now = clock.instant();
            return left(id, currentState(id), accountBucket(id).asVerbose().getAvailableTokens(), now);
        } catch (RuntimeException e) {
            unavailable(id, e);
            return 0;
        }
    }

    /**
     * {@link #remainingToday} and the shape of the daily budget from the same read of the bucket: a calendar day's
     * renews at the carrier's next local midnight; a rolling one's tokens, capacity and refill. An account without a
     * daily budget is a calendar day's.
     */
    @Override
    public Quota.Budget budget(Carrier carrier, String account, Instant now) {
        AccountId id = new AccountId(carrier, account);
        Instant midnight = QuotaPlan.nextMidnight(carrier, now);
        try {
            VerboseResult<Long> tokens = accountBucket(id).asVerbose().getAvailableTokens();
            long left = left(id, currentState(id), tokens, now);
            Bandwidth[] bandwidths = tokens.getConfiguration().getBandwidths();
            for (int i = 0; i < bandwidths.length; i++) {
                Bandwidth daily = bandwidths[i];
                if (QuotaPlan.DAILY.equals(daily.getId()) && !daily.isRefillIntervally()) {
                    double perHour = (double) daily.getRefillTokens()
                            * Duration.ofHours(1).toNanos()
                            / daily.getRefillPeriodNanos();
                    long held = Math.max(0, tokens.getState().getCurrentSize(i));
                    return new Quota.Budget(left, null, held, daily.getCapacity(), perHour);
                }
            }
            return new Quota.Budget(left, midnight, 0, 0, 0);
        } catch (RuntimeException e) {
            unavailable(id, e);
            return new Quota.Budget(0, midnight, 0, 0, 0);
        }
    }

    /**
     * Reads every known account's shared state into its gauges: one query for all cool-downs and stops, one
     * transaction per bucket. Run by {@link QuotaRefresh}.
     */
    public void refresh() {
        recordUnrecorded();
        List<AccountState> rows;
        try {
            rows = states.all();
        } catch (RuntimeException e) {
            meters.accounts().values().forEach(a -> {
                a.left = Double.NaN;
                a.used = Double.NaN;
            });
            unavailable(null, e);
            return;
        }
        Instant now = clock.instant();
        Map<AccountId, AccountState> byId = new HashMap<>();
        for (AccountState row : rows) {
            byId.put(row.id(), row);
            if (row.stopped() || row.coolingDownAt(now)) {
                meters.account(row.id(), plan); // a stopped account shows even when no poll asked for it yet
            }
        }
        for (Map.Entry<AccountId, QuotaMeters.Account> entry : meters.accounts().entrySet()) {
            AccountId id = entry.getKey();
            QuotaMeters.Account meter = entry.getValue();
            AccountState row = byId.get(id);
            meter.coolingDown = row != null && row.coolingDownAt(now) ? Reasons.coolDown(row.coolDownReason()) : null;
            meter.stopped =
                    row != null && row.stoppedFor(credentials.fingerprint(id)) ? Reasons.stop(row.stopReason()) : null;
            try {
                VerboseResult<Long> tokens = accountBucket(id).asVerbose().getAvailableTokens();
                meter.used = used(tokens.getState());
                meter.left = left(id, Optional.ofNullable(row), tokens, now);
            } catch (RuntimeException e) {
                meter.left = Double.NaN;
                meter.used = Double.NaN;
                unavailable(id, e);
            }
        }
        for (Carrier carrier : Carrier.values()) {
            try {
                Optional<BucketProxy> overall = overallBucket(carrier);
                if (overall.isPresent()) {
                    meters.overallLeft(carrier, overall.get().getAvailableTokens());
                }
            } catch (RuntimeException e) {
                meters.overallLeft(carrier, Double.NaN);
            }
        }
    }

    /** Writes what PostgreSQL could not take when it was heard; what it still cannot take stays for next time. */
    private void recordUnrecorded() {
        for (Map.Entry<AccountId, Unrecorded> entry : unrecorded.entrySet()) {
            AccountId id = entry.getKey();
            Unrecorded held = entry.getValue();
            Instant now = clock.instant();
            try {
                if (held.coolDownUntil() != null && now.isBefore(held.coolDownUntil())) {
                    states.coolDown(id, held.coolDownUntil(), held.coolDownReason(), now);
                }
                if (held.stopReason() != null) {
                    states.stop(id, held.stopReason(), held.credential(), now);
                }
                unrecorded.remove(id, held);
            } catch (RuntimeException e) {
                return;
            }
        }
    }

    /** Stopped and cooling-down accounts as PostgreSQL has them now, for the health check. */
    Map<String, List<AccountState>> heldAccounts() {
        Instant now = clock.instant();
        Map<String, List<AccountState>> held = new TreeMap<>();
        held.put("stopped", new ArrayList<>());
        held.put("cooling-down", new ArrayList<>());
        for (AccountState row : states.all()) {
            if (row.stoppedFor(credentials.fingerprint(row.id()))) {
                held.get("stopped").add(row);
            }
            if (row.coolingDownAt(now)) {
                held.get("cooling-down").add(row);
            }
        }
        return held;
    }

    /** Stopped or cooling down: why nothing may be sent now, if so. */
    private Optional<QuotaMeters.Refusal> heldBack(AccountId id, Instant now) {
        Unrecorded local = unrecorded.get(id);
        if (local != null && local.stopReason() != null) {
            return Optional.of(QuotaMeters.Refusal.STOPPED);
        }
        if (local != null && local.coolDownUntil() != null && now.isBefore(local.coolDownUntil())) {
            return Optional.of(QuotaMeters.Refusal.COOLING_DOWN);
        }
        Optional<AccountState> state = currentState(id);
        if (state.isEmpty()) {
            return Optional.empty();
        }
        if (state.get().stopped()) {
            return Optional.of(QuotaMeters.Refusal.STOPPED);
        }
        if (state.get().coolingDownAt(now)) {
            return Optional.of(QuotaMeters.Refusal.COOLING_DOWN);
        }
        return Optional.empty();
    }

    /**
     * The account's row, with a stop of a credential the configuration no longer holds lifted first: the key was
     * replaced, so the carrier's refusal of the old one says nothing about the new one.
     */
    private Optional<AccountState> currentState(AccountId id) {
        Optional<AccountState> state = states.find(id);
        if (state.isEmpty() || !state.get().stopped()) {
            return state;
        }
        String fingerprint = credentials.fingerprint(id);
        if (state.get().stoppedFor(fingerprint)) {
            return state;
        }
        if (states.resume(id, state.get().stoppedCredential(), clock.instant())) {
            Log.infof(
                    "quota: %s resumes: its credential changed since it was stopped (%s)",
                    id, state.get().stopReason());
        }
        return states.find(id);
    }

    /**
     * What {@link #remainingToday} answers, from the account's row and its bucket's tokens as just read: 0 while it
     * is stopped or cools down past the carrier's next local midnight.
     */
    private long left(AccountId id, Optional<AccountState> state, VerboseResult<Long> tokens, Instant now) {
        Instant midnight = QuotaPlan.nextMidnight(id.carrier(), now);
        if (state.isPresent()
                && (state.get().stoppedFor(credentials.fingerprint(id))
                        || state.get()
                                .coolDownEnd(now)
                                .filter(end -> !end.isBefore(midnight))
                                .isPresent())) {
            return 0;
        }
        long nanosToMidnight = Duration.between(now, midnight).toNanos();
        long left = deliverable(tokens, nanosToMidnight);
        Optional<BucketProxy> overall = overallBucket(id.carrier());
        if (overall.isPresent()) {
            left = Math.min(left, deliverable(overall.get().asVerbose().getAvailableTokens(), nanosToMidnight));
        }
        return left;
    }

    private static long deliverable(VerboseResult<Long> tokens, long nanosToMidnight) {
        BucketState state = tokens.getState();
        Bandwidth[] bandwidths = tokens.getConfiguration().getBandwidths();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < bandwidths.length; i++) {
            least = Math.min(
                    least, QuotaPlan.deliverableBefore(bandwidths[i], state.getCurrentSize(i), nanosToMidnight));
        }
        return least;
    }

    /** Spent tokens of the daily bandwidth, or of the per-minute one for an account without a daily budget. */
    private static double used(BucketState state) {
        Bandwidth[] bandwidths = state.getConfiguration().getBandwidths();
        int index = bandwidths.length - 1;
        return Math.max(0, bandwidths[index].getCapacity() - state.getCurrentSize(index));
    }

    private static QuotaMeters.Refusal emptyBandwidth(VerboseResult<Boolean> refused) {
        BucketState state = refused.getState();
        Bandwidth[] bandwidths = refused.getConfiguration().getBandwidths();
        for (int i = bandwidths.length - 1; i >= 0; i--) {
            if (state.getCurrentSize(i) < 1) {
                return QuotaMeters.Refusal.ofBandwidth(bandwidths[i].getId());
            }
        }
        return QuotaMeters.Refusal.PER_MINUTE;
    }

    private BucketProxy accountBucket(AccountId id) {
        return bucket(keyPrefix + id.bucketKey(), plan.accountBucket(plan.budget(id.carrier(), id.account())));
    }

    private Optional<BucketProxy> overallBucket(Carrier carrier) {
        return plan.overallBucket(carrier).map(c -> bucket(keyPrefix + AccountId.overallBucketKey(carrier), c));
    }

    /**
     * The bucket's proxy, created in PostgreSQL with {@code configuration} if it is new. A bucket stored with other
     * limits (the configuration changed) takes the new ones once per instance start, keeping what was spent
     * (Bucket4j's ADDITIVE inheritance: a higher limit adds the difference, a lower one caps what is left).
     */
    private BucketProxy bucket(String key, BucketConfiguration configuration) {
        BucketProxy known = proxies.get(key);
        if (known != null) {
            return known;
        }
        Optional<BucketConfiguration> stored = buckets.getProxyConfiguration(key);
        BucketProxy proxy = buckets.builder().build(key, () -> configuration);
        if (stored.isPresent() && !stored.get().equalsByContent(configuration)) {
            proxy.replaceConfiguration(configuration, TokensInheritanceStrategy.ADDITIVE);
            Log.infof("quota: bucket %s now has the configured limits %s (was %s)", key, configuration, stored.get());
        }
        BucketProxy raced = proxies.putIfAbsent(key, proxy);
        return raced != null ? raced : proxy;
    }

    private Duration onClock(Duration real) {
        return onClock(real, clockRate);
    }

    /** {@code real} as the pollers' clock counts it when it runs {@code clockRate} times faster than real time. */
    static Duration onClock(Duration real, double clockRate) {
        return clockRate == 1.0 ? real : Duration.ofNanos((long) (real.toNanos() * clockRate));
    }

    private void unavailable(AccountId id, RuntimeException e) {
        long now = System.nanoTime();
        long last = lastUnavailableLog.get();
        if (last == Long.MIN_VALUE || now - last >= LOG_EVERY.toNanos()) {
            if (lastUnavailableLog.compareAndSet(last, now)) {
                Log.warnf(
                        "quota: PostgreSQL did not answer (%s): nothing is granted until it does%s",
                        e.getMessage(), id == null ? "" : " (first for " + id + ")");
            }
        }
    }

    /** For tests: the tokens each bandwidth of the account's own bucket holds now, by bandwidth id. */
    Map<String, Long> accountTokens(Carrier carrier, String account) {
        VerboseResult<Long> tokens =
                accountBucket(new AccountId(carrier, account)).asVerbose().getAvailableTokens();
        Bandwidth[] bandwidths = tokens.getConfiguration().getBandwidths();
        Map<String, Long> byId = new TreeMap<>();
        for (int i = 0; i < bandwidths.length; i++) {
            byId.put(bandwidths[i].getId(), tokens.getState().getCurrentSize(i));
        }
        return byId;
    }

    /** For tests: the account's budgets after the margin. */
    QuotaPlan.Budget budget(Carrier carrier, String account) {
        return plan.budget(carrier, account);
    }

    /** For tests: the overall budget after the margin. */
    OptionalLong overallBudget(Carrier carrier) {
        return plan.overall(carrier);
    }
}
