package io.trackline.pollers.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.trackline.events.Carrier;
import io.trackline.events.ContentDigest;
import io.trackline.events.RawEnvelope;
import io.trackline.events.Source;
import io.trackline.events.Subscription;
import io.trackline.pollers.config.SchedulingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Decides, tick by tick, which subscriptions of the partitions this instance owns to look up, asks the carriers on a
 * bounded pool of worker threads, publishes the answers that changed, and remembers what it did in PostgreSQL.
 *
 * <p><b>Ownership.</b> The subscriptions topic's consumer tells this class which partitions are this instance's
 * ({@link SubscriptionListener}); their subscriptions are held per partition, and nothing of a partition is polled
 * before it {@linkplain #caughtUp caught up} and its poll states were read, so a new owner goes on where the
 * previous one stopped. {@link #revoked} waits for the tick in progress (its look-ups and their writes) before it
 * returns, so the next owner reads what this one did. Every write of a poll state is a compare-and-set
 * ({@link PollStates#compareAndSet}), and a look-up is made only after its state was claimed that way: an instance
 * that lost a partition without hearing of it polls nothing the new owner has touched.
 *
 * <p><b>A tick</b> (one at a time: a long one makes the next skip): per account, at most as many look-ups as its
 * quota has left today and {@code max-polls-per-tick}, the highest {@link PollPolicy} priority first, across the
 * account's partitions; subscriptions never polled before all others. Not polled: retired ones (a final status, no
 * news for {@code max-age}, a reference the carrier never knew or kept refusing), those backing off after a miss or
 * an error, those polled within {@code min-interval}, and those that brought news within {@code recent-news}. A
 * refusal of the account (no token, rate limit, spent quota, revoked key) ends its look-ups for the tick. An answer
 * is published to trackline.raw.v1 only when its content digest differs from the last published one.
 *
 * <p>Listener calls other than {@link #revoked} only queue what they say; the tick applies it, so the consumer's
 * thread never waits for a tick.
 */
@ApplicationScoped
public class PollScheduler implements SubscriptionListener {

    private static final Logger LOG = Logger.getLogger(PollScheduler.class);

    private final Clock clock;
    private final SchedulingConfig config;
    private final Map<Carrier, CarrierClient> clients;
    private final Quota quota;
    private final ShipmentStatuses statuses;
    private final PollStates states;
    private final RawTopic raw;
    private final PollMetrics metrics;
    private final PollPolicy policy;
    private final ExecutorService workers;

    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Command> inbox = new ConcurrentLinkedQueue<>();
    private final Set<Integer> revoking = ConcurrentHashMap.newKeySet();
    private final Map<Integer, PartitionQueue> partitions = new TreeMap<>();
    private final String requestPrefix = Long.toString(System.nanoTime() & 0xffffffffL, 36);
    private final AtomicLong requests = new AtomicLong();
    private Instant statusesReadAt = Instant.EPOCH;
    private Instant lastTickAt;
    /** Per account, the fraction of a look-up its weighted pace granted and no tick spent yet. */
    private final Map<AccountKey, Double> carried = new HashMap<>();

    /** A rolling daily budget's pacing horizon: one window. */
    static final Duration ROLLING_HORIZON = Duration.ofHours(24);

    @Inject
    public PollScheduler(
            Clock clock,
            SchedulingConfig config,
            Instance<CarrierClient> clients,
            Quota quota,
            ShipmentStatuses statuses,
            PollStates states,
            RawTopic raw,
            MeterRegistry registry) {
        this(clock, config, clients.stream().toList(), quota, statuses, states, raw, new PollMetrics(registry));
    }

    /**
     * @param quota    null: no budget but {@code max-polls-per-tick} (the clients still take their tokens)
     * @param statuses null: no statuses known (nothing stops at a final status)
     */
    public PollScheduler(
            Clock clock,
            SchedulingConfig config,
            Collection<CarrierClient> clients,
            Quota quota,
            ShipmentStatuses statuses,
            PollStates states,
            RawTopic raw,
            PollMetrics metrics) {
        this.clock = clock;
        this.config = config;
        Map<Carrier, CarrierClient> byCarrier = new EnumMap<>(Carrier.class);
        for (CarrierClient c : clients) {
            if (byCarrier.put(c.carrier(), c) != null) {
                throw new IllegalStateException("two carrier clients for " + c.carrier());
            }
        }
        this.clients = byCarrier;
        this.quota = quota;
        this.statuses = statuses;
        this.states = states;
        this.raw = raw;
        this.metrics = metrics;
        this.policy = policy(config);
        if (config.workers() < 1 || config.maxPollsPerTick() < 1) {
            throw new IllegalArgumentException(
                    "trackline.pollers.scheduling.workers and max-polls-per-tick must be at least 1");
        }
        AtomicLong threads = new AtomicLong();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "trackline-poller-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newFixedThreadPool(config.workers(), factory);
        LOG.infof(
                "polling with the %s policy, carriers %s",
                config.policy().name().toLowerCase(Locale.ROOT), byCarrier.keySet());
    }

    static PollPolicy policy(SchedulingConfig config) {
        return switch (config.policy()) {
            case ADAPTIVE ->
                new AdaptivePolicy(
                        HazardModel.from(config.adaptive()),
                        config.adaptive().lookback(),
                        config.adaptive().paceWindow());
            case ROUND_ROBIN -> new RoundRobinPolicy();
            case FIXED_INTERVAL -> new FixedIntervalPolicy(config.fixedInterval());
        };
    }

    // --- SubscriptionListener: called from the subscriptions consumer's thread ----------------------------------

    private sealed interface Command {}

    private record Assigned(int partition) implements Command {}

    private record CaughtUp(int partition) implements Command {}

    private record Upserted(int partition, Subscription subscription) implements Command {}

    private record Removed(int partition, String shipmentId) implements Command {}

    @Override
    public void assigned(int partition) {
        revoking.remove(partition);
        inbox.add(new Assigned(partition));
    }

    @Override
    public void caughtUp(int partition) {
        inbox.add(new CaughtUp(partition));
    }

    @Override
    public void upserted(int partition, Subscription subscription) {
        inbox.add(new Upserted(partition, subscription));
    }

    @Override
    public void removed(int partition, String shipmentId) {
        inbox.add(new Removed(partition, shipmentId));
    }

    @Override
    public void revoked(int partition) {
        revoking.add(partition); // the tick in progress starts no more look-ups of it
        boolean locked = false;
        try {
            locked = lock.tryLock(config.revokeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            LOG.warnf(
                    "partition %d revoked while a tick still ran after %s; its poll states are guarded by their versions",
                    partition, config.revokeTimeout());
            inbox.add(new Revoked(partition));
            return;
        }
        try {
            applyInbox();
            drop(partition);
        } finally {
            lock.unlock();
        }
    }

    private record Revoked(int partition) implements Command {}

    private void drop(int partition) {
        if (partitions.remove(partition) != null) {
            metrics.queueGone(partition);
            LOG.debugf("partition %d revoked", partition);
        }
    }

    /** The partitions this instance polls now (caught up and not revoked), for health and tests. */
    public List<Integer> polledPartitions() {
        lock.lock();
        try {
            return partitions.values().stream()
                    .filter(q -> q.caughtUp)
                    .map(q -> q.partition)
                    .toList();
        } finally {
            lock.unlock();
        }
    }

    // --- The tick -------------------------------------------------------------------------------------------------

    @Scheduled(
            identity = "trackline-pollers-tick",
            every = "${trackline.pollers.scheduling.tick:1s}",
            delayed = "${trackline.pollers.scheduling.tick:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        tick();
    }

    /** One tick: apply what the consumer said, then poll what is due. Returns the look-ups made. */
    public int tick() {
        if (!lock.tryLock()) {
            return 0; // a revocation holds the lock; the next tick comes soon
        }
        long started = System.nanoTime();
        try {
            applyInbox();
            Instant now = clock.instant();
            if (!Duration.between(statusesReadAt, now)
                    .minus(config.statusRefresh())
                    .isNegative()) {
                refreshStatuses(allEntries(), now);
                statusesReadAt = now;
            }
            List<Tracked> chosen = choose(now);
            lastTickAt = now;
            int made = chosen.isEmpty() ? 0 : poll(chosen);
            report(now);
            return made;
        } catch (RuntimeException e) {
            LOG.errorf(e, "poll tick failed; the next one tries again");
            return 0;
        } finally {
            lock.unlock();
            metrics.tick(System.nanoTime() - started);
        }
    }

    private void applyInbox() {
        Command c;
        while ((c = inbox.poll()) != null) {
            if (c instanceof Assigned a) {
                partitions.put(a.partition(), new PartitionQueue(a.partition()));
            } else if (c instanceof Upserted u) {
                upsert(u.partition(), u.subscription());
            } else if (c instanceof Removed r) {
                remove(r.partition(), r.shipmentId());
            } else if (c instanceof CaughtUp cu) {
                catchUp(cu.partition());
            } else if (c instanceof Revoked r) {
                drop(r.partition());
            }
        }
    }

    private void upsert(int partition, Subscription s) {
        PartitionQueue q = partitions.get(partition);
        if (q == null) {
            return; // not ours (any more)
        }
        if (!q.caughtUp) {
            q.pending.put(s.shipmentId(), s);
            return;
        }
        Tracked existing = q.entries.get(s.shipmentId());
        if (existing != null) {
            existing.subscription(s);
            resubscribeIfNew(existing, s);
            return;
        }
        add(q, List.of(s));
    }

    private void remove(int partition, String shipmentId) {
        PartitionQueue q = partitions.get(partition);
        if (q == null) {
            return;
        }
        q.pending.remove(shipmentId);
        q.entries.remove(shipmentId);
        states.delete(shipmentId); // the subscription ended: a new one starts afresh
    }

    private void catchUp(int partition) {
        PartitionQueue q = partitions.get(partition);
        if (q == null || q.caughtUp) {
            return;
        }
        add(q, q.pending.values());
        q.pending.clear();
        q.caughtUp = true;
        LOG.debugf("partition %d caught up: %d subscriptions", partition, q.entries.size());
    }

    private void add(PartitionQueue q, Collection<Subscription> subscriptions) {
        if (subscriptions.isEmpty()) {
            return;
        }
        Map<String, PollState> loaded = states.loadOrCreate(subscriptions);
        List<Tracked> added = new ArrayList<>();
        for (Subscription s : subscriptions) {
            PollState state = loaded.get(s.shipmentId());
            if (state == null) {
                continue;
            }
            Tracked t = new Tracked(q.partition, s, state);
            q.entries.put(s.shipmentId(), t);
            added.add(t);
            resubscribeIfNew(t, s);
        }
        refreshStatuses(added, clock.instant());
    }

    /** A subscription made again after it was retired (a later subscribedAt): polled again from scratch. */
    private void resubscribeIfNew(Tracked t, Subscription s) {
        Instant at = s.subscribedAt().toInstant();
        if (t.state().isRetired() && at.isAfter(t.state().subscribedAt())) {
            write(List.of(t.state().resubscribed(at)), Map.of(t.shipmentId(), t));
            refreshStatuses(List.of(t), clock.instant()); // still final: retired again by the next tick
        }
    }

    private List<Tracked> allEntries() {
        List<Tracked> all = new ArrayList<>();
        for (PartitionQueue q : partitions.values()) {
            if (q.caughtUp) {
                all.addAll(q.entries.values());
            }
        }
        return all;
    }

    private void refreshStatuses(List<Tracked> entries, Instant now) {
        if (statuses == null || entries.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(entries.size());
        for (Tracked t : entries) {
            if (!t.state().isRetired()) {
                ids.add(t.shipmentId());
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Map<String, ShipmentStatus> found = statuses.findAll(ids);
        for (Tracked t : entries) {
            ShipmentStatus s = found.get(t.shipmentId());
            if (s != null && !s.equals(t.status())) {
                noteDetection(t, s);
                t.status(s);
                policy.changed(t);
            }
        }
    }

    /** A new status dated between the look-up before a changed answer and that answer: found by polling. */
    private void noteDetection(Tracked t, ShipmentStatus s) {
        if (t.changedAt == null || s.statusSince() == null) {
            return;
        }
        Instant since = s.statusSince().toInstant();
        boolean newer = t.status() == null
                || t.status().statusSince() == null
                || since.isAfter(t.status().statusSince().toInstant());
        if (newer
                && !since.isAfter(t.changedAt)
                && (t.polledBeforeChange == null || since.isAfter(t.polledBeforeChange))) {
            metrics.detectionDelay(t.subscription().carrier(), Duration.between(since, t.changedAt));
            t.changedAt = null;
        }
    }

    /** A candidate look-up: never-polled ones first (oldest subscription first), then by priority. */
    private record Candidate(Tracked entry, boolean first, double priority) {
        static final Comparator<Candidate> BEST_FIRST = Comparator.comparing(Candidate::first)
                .reversed()
                .thenComparing((a, b) -> a.first()
                        ? a.entry()
                                .state()
                                .subscribedAt()
                                .compareTo(b.entry().state().subscribedAt())
                        : Double.compare(b.priority(), a.priority()))
                .thenComparing(c -> c.entry().shipmentId());
    }

    private record AccountKey(Carrier carrier, String account) {}

    private List<Tracked> choose(Instant now) {
        Map<AccountKey, List<Candidate>> byAccount = new LinkedHashMap<>();
        Map<AccountKey, List<Tracked>> polled = new HashMap<>();
        List<PollState> retirements = new ArrayList<>();
        Map<String, Tracked> retiring = new HashMap<>();
        for (PartitionQueue q : partitions.values()) {
            if (!q.caughtUp || revoking.contains(q.partition)) {
                continue;
            }
            long due = 0;
            for (Tracked t : q.entries.values()) {
                PollState s = t.state();
                if (s.isRetired()) {
                    continue;
                }
                Carrier carrier = t.subscription().carrier();
                RetireReason retire = retireReason(t, now);
                if (retire != null) {
                    retirements.add(s.retire(retire, now));
                    retiring.put(t.shipmentId(), t);
                    continue;
                }
                if (!clients.containsKey(carrier)) {
                    continue;
                }
                AccountKey key = new AccountKey(carrier, t.subscription().account());
                polled.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
                if (!eligible(t, now)) {
                    continue;
                }
                boolean first = s.lastPolledAt() == null;
                double priority = first ? Double.MAX_VALUE : policy.priority(t, now);
                if (priority < 0) {
                    continue;
                }
                due++;
                byAccount.computeIfAbsent(key, k -> new ArrayList<>()).add(new Candidate(t, first, priority));
            }
            q.due = due;
        }
        if (!retirements.isEmpty()) {
            write(retirements, retiring);
        }
        List<Tracked> chosen = new ArrayList<>();
        for (Map.Entry<AccountKey, List<Candidate>> account : byAccount.entrySet()) {
            long allowance = config.maxPollsPerTick();
            if (quota != null) {
                AccountKey key = account.getKey();
                if (config.paceDailyBudget() && policy.pacesByWeight()) {
                    Quota.Budget budget = quota.budget(key.carrier(), key.account(), now);
                    allowance = Math.min(allowance, budget.left());
                    allowance = Math.min(allowance, pacedByWeight(key, budget, polled.get(key), now));
                } else {
                    long left = quota.remainingToday(key.carrier(), key.account());
                    allowance = Math.min(allowance, left);
                    if (config.paceDailyBudget()) {
                        allowance = Math.min(allowance, paced(left, key.carrier(), now));
                    }
                }
            }
            if (allowance <= 0) {
                continue;
            }
            PriorityQueue<Candidate> best = new PriorityQueue<>(Candidate.BEST_FIRST);
            best.addAll(account.getValue());
            for (long i = 0; i < allowance && !best.isEmpty(); i++) {
                chosen.add(best.poll().entry());
            }
        }
        return chosen;
    }

    /**
     * The share of what is left today that this tick may spend, so that the budget lasts until the carrier's next
     * local midnight (when daily budgets start again) instead of being gone in the morning: left × (time since the
     * previous tick) / (time until midnight), at least 1.
     */
    private long paced(long left, Carrier carrier, Instant now) {
        if (left <= 0 || left == Long.MAX_VALUE) {
            return left;
        }
        Instant previous = lastTickAt == null ? now.minus(config.tick()) : lastTickAt;
        long elapsed = Math.max(1, Duration.between(previous, now).toMillis());
        java.time.ZonedDateTime local = now.atZone(HazardModel.zone(carrier));
        Instant midnight =
                local.toLocalDate().plusDays(1).atStartOfDay(local.getZone()).toInstant();
        long until = Math.max(1, Duration.between(now, midnight).toMillis());
        double share = (double) left * Math.min(elapsed, until) / until;
        return Math.max(1, (long) Math.ceil(share));
    }

    /**
     * The share of an account's budget this tick may spend when the policy knows when changes come
     * ({@link PollPolicy#spendWeight}): what is left until the budget renews × the weight of the time since the
     * previous tick / the weight of the time from now until the renewal. A calendar day renews at the carrier's
     * midnight (what is left then is lost); a rolling budget refills as it goes, so its horizon is one window (24 h)
     * and what it may spend in it is what it holds plus that window's refill; and refill beyond its capacity would be
     * lost, so that much is spent whatever the weight. Fractions of a look-up carry over to the next tick, so a quiet
     * hour spends next to nothing instead of one look-up per tick.
     */
    private long pacedByWeight(AccountKey key, Quota.Budget budget, List<Tracked> entries, Instant now) {
        if (budget.left() <= 0 || budget.left() == Long.MAX_VALUE) {
            return budget.left();
        }
        Instant previous = lastTickAt == null || !lastTickAt.isBefore(now) ? now.minusSeconds(1) : lastTickAt;
        List<Tracked> all = entries == null ? List.of() : entries;
        double share;
        if (budget.rolling()) {
            Instant horizon = now.plus(ROLLING_HORIZON);
            double available = budget.held() + budget.refillPerHour() * ROLLING_HORIZON.toSeconds() / 3600.0;
            share = weightedShare(available, all, previous, now, horizon);
            double elapsedHours = (now.toEpochMilli() - previous.toEpochMilli()) / 3_600_000.0;
            double overflow = budget.held() + budget.refillPerHour() * elapsedHours - budget.capacity();
            share = Math.max(share, overflow);
        } else {
            share = weightedShare(budget.left(), all, previous, now, budget.renews());
        }
        double owed = share + carried.getOrDefault(key, 0.0);
        long allowance = (long) Math.floor(owed);
        // what is not spent now is carried, at most one tick's worth ahead of the pace
        carried.put(key, Math.min(owed - allowance, 1.0));
        return allowance;
    }

    /** {@code available} × W(previous, now) / W(now, horizon); all of it when nothing is expected until then. */
    private double weightedShare(
            double available, List<Tracked> entries, Instant previous, Instant now, Instant horizon) {
        if (!horizon.isAfter(now)) {
            return available;
        }
        double ahead = policy.spendWeight(entries, now, horizon);
        double spent = policy.spendWeight(entries, previous, now);
        if (!(ahead > 0)) {
            return entries.isEmpty() ? 0 : available;
        }
        return available * Math.min(1, spent / ahead);
    }

    private RetireReason retireReason(Tracked t, Instant now) {
        if (t.isFinal()) {
            return RetireReason.FINAL_STATUS;
        }
        if (!Duration.between(t.ageFrom(), now).minus(config.maxAge()).isNegative()) {
            return RetireReason.MAX_AGE;
        }
        return null;
    }

    private boolean eligible(Tracked t, Instant now) {
        PollState s = t.state();
        if (s.nextDue() != null && now.isBefore(s.nextDue())) {
            return false;
        }
        if (s.lastPolledAt() != null
                && Duration.between(s.lastPolledAt(), now)
                        .minus(config.minInterval())
                        .isNegative()) {
            return false;
        }
        Instant news = t.lastNewsAt();
        return news == null
                || !Duration.between(news, now).minus(config.recentNews()).isNegative();
    }

    // --- Looking up ---------------------------------------------------------------------------------------------

    /** What one look-up came back with. */
    private record Result(Tracked entry, PollAnswer answer, Instant at, String digest, boolean changed) {}

    private int poll(List<Tracked> chosen) {
        // The latest statuses of exactly these: news or a final status since the last read means no look-up.
        Instant now = clock.instant();
        refreshStatuses(chosen, now);
        List<Tracked> still = new ArrayList<>();
        for (Tracked t : chosen) {
            if (t.isFinal()) {
                metrics.skipped(t.subscription().carrier(), "final_status"); // retired by the next tick
            } else if (!eligible(t, now)) {
                metrics.skipped(t.subscription().carrier(), "recent_news");
            } else {
                still.add(t);
            }
        }
        // Claim each: a write of its state as read. One that another instance wrote since is read again, not polled.
        Map<String, Tracked> byId = new HashMap<>();
        List<PollState> claims = new ArrayList<>();
        for (Tracked t : still) {
            byId.put(t.shipmentId(), t);
            claims.add(t.state());
        }
        Set<String> claimed = write(claims, byId);
        List<Tracked> mine = new ArrayList<>();
        for (Tracked t : still) {
            if (claimed.contains(t.shipmentId())) {
                mine.add(t);
            } else {
                metrics.skipped(t.subscription().carrier(), "claimed_elsewhere");
            }
        }
        Map<AccountKey, AtomicBoolean> refused = new ConcurrentHashMap<>();
        List<CompletableFuture<Result>> lookups = new ArrayList<>(mine.size());
        for (Tracked t : mine) {
            AtomicBoolean stop = refused.computeIfAbsent(
                    new AccountKey(t.subscription().carrier(), t.subscription().account()), k -> new AtomicBoolean());
            lookups.add(CompletableFuture.supplyAsync(() -> lookUp(t, stop), workers));
        }
        List<Result> results = new ArrayList<>();
        for (CompletableFuture<Result> f : lookups) {
            Result r = f.join(); // lookUp catches everything
            if (r != null) {
                results.add(r);
            }
        }
        Map<Result, CompletableFuture<Void>> publishes = publish(results);
        List<PollState> updates = new ArrayList<>();
        for (Result r : results) {
            PollState next = next(r, publishes.get(r));
            if (next != null) {
                updates.add(next);
            }
        }
        write(updates, byId);
        return results.size();
    }

    private Result lookUp(Tracked t, AtomicBoolean accountRefused) {
        Subscription s = t.subscription();
        if (accountRefused.get() || revoking.contains(t.partition())) {
            return null;
        }
        CarrierClient client = clients.get(s.carrier());
        long started = System.nanoTime();
        PollAnswer answer;
        try {
            answer = client.track(s);
        } catch (RuntimeException e) {
            LOG.warnf("look-up of a %s shipment of account %s failed: %s", s.carrier(), s.account(), e.toString());
            answer = PollAnswer.refused(
                    PollAnswer.Outcome.CARRIER_ERROR, e.getClass().getSimpleName());
        }
        Instant at = clock.instant();
        metrics.polled(
                s.carrier(),
                s.account(),
                answer.outcome().name().toLowerCase(Locale.ROOT),
                System.nanoTime() - started);
        switch (answer.outcome()) {
            case NO_TOKEN -> accountRefused.set(true);
            case RATE_LIMITED, QUOTA_EXHAUSTED, UNAUTHORIZED -> {
                accountRefused.set(true);
                refuseAccount(s, answer);
            }
            default -> {}
        }
        String digest = null;
        boolean changed = false;
        if (answer.outcome() == PollAnswer.Outcome.TRACKED) {
            digest = ContentDigest.of(answer.payload());
            changed = !digest.equals(t.state().lastDigest());
        }
        return new Result(t, answer, at, digest, changed);
    }

    /**
     * The carrier refused the account, not the shipment: no more look-ups of it until the carrier allows (429 and
     * MrSpeedy's limit: its Retry-After or {@code rate-limit-cool-down}; a spent daily quota: the carrier's next
     * midnight, which the quota reckons from the reason) or, after a 401, until its configuration changes.
     */
    private void refuseAccount(Subscription s, PollAnswer answer) {
        if (quota == null) {
            return;
        }
        String reason = answer.detail() == null ? answer.outcome().name().toLowerCase(Locale.ROOT) : answer.detail();
        switch (answer.outcome()) {
            case UNAUTHORIZED -> quota.stop(s.carrier(), s.account(), reason);
            case RATE_LIMITED, QUOTA_EXHAUSTED ->
                quota.coolDown(
                        s.carrier(), s.account(), answer.retryAfter().orElse(config.rateLimitCoolDown()), reason);
            default -> {}
        }
    }

    private Map<Result, CompletableFuture<Void>> publish(List<Result> results) {
        Map<Result, CompletableFuture<Void>> sent = new HashMap<>();
        for (Result r : results) {
            if (!r.changed()) {
                continue;
            }
            Subscription s = r.entry().subscription();
            PollAnswer a = r.answer();
            RawEnvelope envelope = new RawEnvelope(
                    RawEnvelope.SCHEMA_VERSION,
                    s.carrier(),
                    s.account(),
                    Source.POLL,
                    s.reference(),
                    r.at().atOffset(ZoneOffset.UTC),
                    "poll-" + requestPrefix + "-" + Long.toString(requests.incrementAndGet(), 36),
                    a.contentType(),
                    a.headers(),
                    r.digest(),
                    a.payload());
            CompletableFuture<Void> f;
            try {
                f = raw.publish(envelope).toCompletableFuture();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            sent.put(r, f);
        }
        if (!sent.isEmpty()) {
            try {
                CompletableFuture.allOf(sent.values().toArray(CompletableFuture[]::new))
                        .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // each future is looked at on its own below
            }
        }
        return sent;
    }

    /** The state after a look-up; null when the account refused and the subscription is where it was. */
    private PollState next(Result r, CompletableFuture<Void> publish) {
        Tracked t = r.entry();
        PollState s = t.state();
        Carrier carrier = t.subscription().carrier();
        String account = t.subscription().account();
        Instant at = r.at();
        return switch (r.answer().outcome()) {
            case TRACKED -> {
                if (!r.changed()) {
                    metrics.unchanged(carrier, account);
                    yield s.tracked(at, s.lastDigest(), false);
                }
                if (publish == null || !publish.isDone() || publish.isCompletedExceptionally()) {
                    metrics.publishFailed(carrier);
                    LOG.warnf(
                            "a changed %s answer of account %s was not stored on the raw topic; asked again soon",
                            carrier, account);
                    yield s.failed(
                            "publish_failed",
                            at.plus(backoff(
                                    config.errors().firstRetry(),
                                    s.errors(),
                                    config.errors().maxRetry())));
                }
                metrics.published(carrier, account);
                if (s.lastPolledAt() != null) {
                    metrics.changeGap(carrier, Duration.between(s.lastPolledAt(), at));
                }
                t.changedAt = at;
                t.polledBeforeChange = s.lastPolledAt();
                yield s.tracked(at, r.digest(), true);
            }
            case NOT_FOUND ->
                miss(
                        s,
                        at,
                        "not_found",
                        config.unknownReference().firstRetry(),
                        config.unknownReference().retireAfter(),
                        RetireReason.NOT_FOUND);
            case FOREIGN, INVALID_REQUEST ->
                miss(
                        s,
                        at,
                        r.answer().outcome().name().toLowerCase(Locale.ROOT),
                        config.rejectedReference().firstRetry(),
                        config.rejectedReference().retireAfter(),
                        RetireReason.REJECTED);
            case CARRIER_ERROR ->
                s.failed(
                        "carrier_error",
                        at.plus(backoff(
                                config.errors().firstRetry(),
                                s.errors(),
                                config.errors().maxRetry())));
            case NO_TOKEN, RATE_LIMITED, QUOTA_EXHAUSTED, UNAUTHORIZED -> null;
        };
    }

    private PollState miss(
            PollState s, Instant at, String outcome, Duration first, Duration retireAfter, RetireReason reason) {
        Instant due =
                at.plus(backoff(first, s.misses(), config.unknownReference().maxRetry()));
        PollState next = s.missed(at, outcome, due);
        if (!Duration.between(next.firstMissAt(), at).minus(retireAfter).isNegative()) {
            return next.retire(reason, at);
        }
        return next;
    }

    /** {@code first} × 2^n, at most {@code max}. */
    static Duration backoff(Duration first, int n, Duration max) {
        if (n >= 30) {
            return max;
        }
        Duration d = first.multipliedBy(1L << n);
        return d.compareTo(max) > 0 ? max : d;
    }

    /**
     * Writes these states (compare-and-set on their versions) and puts the written ones in their entries; an entry
     * whose write lost is read again from the database. Returns the ids written.
     */
    private Set<String> write(List<PollState> updates, Map<String, Tracked> entries) {
        if (updates.isEmpty()) {
            return Set.of();
        }
        Set<String> written = states.compareAndSet(updates);
        List<String> lost = new ArrayList<>();
        for (PollState u : updates) {
            Tracked t = entries.get(u.shipmentId());
            if (t == null) {
                continue;
            }
            if (written.contains(u.shipmentId())) {
                boolean newlyRetired = u.isRetired() && !t.state().isRetired();
                t.state(u.written());
                policy.changed(t);
                if (newlyRetired) {
                    metrics.retired(t.subscription().carrier(), u.retired());
                    LOG.debugf("%s retired: %s", t.shipmentId(), u.retired().id());
                }
            } else {
                lost.add(u.shipmentId());
            }
        }
        if (!lost.isEmpty()) {
            Map<String, PollState> fresh = states.load(lost);
            for (String id : lost) {
                PollState f = fresh.get(id);
                Tracked t = entries.get(id);
                if (f != null && t != null) {
                    t.state(f);
                    policy.changed(t);
                }
            }
        }
        return written;
    }

    private void report(Instant now) {
        Map<Carrier, Map<String, Long>> active = new EnumMap<>(Carrier.class);
        for (PartitionQueue q : partitions.values()) {
            metrics.queue(q.partition, q.entries.size() + q.pending.size(), q.due);
            for (Tracked t : q.entries.values()) {
                if (t.state().isRetired()) {
                    continue;
                }
                String status = t.status() == null
                        ? PollMetrics.NO_STATUS
                        : t.status().status().name().toLowerCase(Locale.ROOT);
                active.computeIfAbsent(t.subscription().carrier(), c -> new HashMap<>())
                        .merge(status, 1L, Long::sum);
            }
        }
        metrics.active(active);
    }

    void close(@Observes ShutdownEvent stop) {
        shutdown();
    }

    /** Stops the worker threads (at shutdown; tests that make instances of their own call it). */
    public void shutdown() {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    /** The subscriptions of one owned partition. */
    private static final class PartitionQueue {
        final int partition;
        final Map<String, Tracked> entries = new LinkedHashMap<>();
        final Map<String, Subscription> pending = new LinkedHashMap<>();
        boolean caughtUp;
        long due;

        PartitionQueue(int partition) {
            this.partition = partition;
        }
    }

    /** For tests: the state this instance holds of a shipment, if it owns it. */
    public PollState state(String shipmentId) {
        lock.lock();
        try {
            for (PartitionQueue q : partitions.values()) {
                Tracked t = q.entries.get(shipmentId);
                if (t != null) {
                    return t.state();
                }
            }
            return null;
        } finally {
            lock.unlock();
        }
    }
}
