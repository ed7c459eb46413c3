package io.trackline.pollers.carrier.mrspeedy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.trackline.events.Carrier;
import io.trackline.events.ContentDigest;
import io.trackline.events.RawEnvelope;
import io.trackline.events.ShipmentIds;
import io.trackline.events.Source;
import io.trackline.pollers.config.CarrierAccounts;
import io.trackline.pollers.repository.ReconcileLeases;
import io.trackline.pollers.repository.RepositoryException;
import io.trackline.pollers.service.PollAnswer;
import io.trackline.pollers.service.PollAnswer.Outcome;
import io.trackline.pollers.service.Quota;
import io.trackline.pollers.service.RawTopic;
import io.trackline.pollers.service.ShipmentStatus;
import io.trackline.pollers.service.ShipmentStatuses;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Catches the MrSpeedy order changes whose callbacks never came (MrSpeedy gives up after 24 hours of failed
 * deliveries) and the courier's location of active orders, by reading the Business API.
 *
 * <p>Every tick ({@code trackline.pollers.mrspeedy.reconcile.every}, never two at once) each configured account
 * works through a cycle of requests, as many as its share of {@code requests-per-hour} allows (unused share carries
 * over up to two ticks' worth); every request also takes a token from the shared {@link Quota}, which holds the
 * carrier's limits (100 a minute, 5,000 in any 24 h) across instances. A cycle:
 * <ol>
 * <li>lists the orders of each status the document names that is not final: {@code new}, {@code available},
 * {@code active}, {@code delayed}, {@code reactivated} ({@code draft} is left out: a draft is not delivered as
 * such). When a list has more orders than one answer holds ({@code orders_count}), the next pages are asked with
 * {@code offset}/{@code count}, which the document does not list: a carrier that refuses them is not asked again and
 * the first page is what there is;</li>
 * <li>compares with what Trackline knows ({@link ShipmentStatuses#notFinal}): orders known as not final that no list
 * showed have become final (or vanished); they are looked for in the {@code completed} and {@code canceled} lists
 * (the document has no request for one order);</li>
 * <li>asks {@code GET /courier} for each active order, at most every {@code courier-every}.</li>
 * </ol>
 * Each account is reconciled by one instance at a time: the holder of its lease in PostgreSQL
 * ({@link ReconcileLeases}, renewed every tick, {@code lease} long), so N instances spend no more of the account's
 * requests than one. An instance that stops gives its leases back; one that died loses them when they expire, and
 * the next holder starts a cycle of its own.
 *
 * <p>An order is published to {@code trackline.raw.v1} (source poll, reference its {@code order_id}) when its bytes
 * differ from the last ones this instance published for it: the payload is the order object exactly as the list
 * carried it, which the normalizer reads like a callback's order. A courier answer is published (same reference)
 * when it changed. Unchanged orders are never published again; after a restart each order is published once more,
 * and the normalizer's stable event ids make that harmless.
 */
@ApplicationScoped
public class MrSpeedyReconciler {

    /** Statuses listed every cycle: the document's "Order statuses" that are not final, draft excepted. */
    static final List<String> OPEN_STATUSES = List.of("new", "available", "active", "delayed", "reactivated");
    /** Where orders that left the open lists are looked for. */
    static final List<String> FINAL_STATUSES = List.of("completed", "canceled");

    static final String ACTIVE = "active";
    static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    /** Pages of a final list read per cycle while orders are still missing: the final lists only grow. */
    static final int MAX_FINAL_PAGES = 4;

    private final MrSpeedyClient client;
    private final Quota quota;
    private final RawTopic raw;
    private final ShipmentStatuses statuses;
    private final CarrierAccounts.MrSpeedy config;
    private final Clock clock;
    private final MeterRegistry registry;
    private final ReconcileLeases leases;
    /** This instance in {@code pollers.reconcile_lease}: the host, and a random id per start. */
    private final String holder;

    private final Map<String, AccountState> states = new ConcurrentHashMap<>();
    /** Accounts whose lease this instance held at its last tick. */
    private final Set<String> leased = ConcurrentHashMap.newKeySet();
    /** Set when the application stops: no lease is taken any more. */
    private volatile boolean stopping;

    public MrSpeedyReconciler(
            MrSpeedyClient client,
            Quota quota,
            RawTopic raw,
            ShipmentStatuses statuses,
            CarrierAccounts accounts,
            Clock clock,
            MeterRegistry registry,
            ReconcileLeases leases) {
        this.client = client;
        this.quota = quota;
        this.raw = raw;
        this.statuses = statuses;
        this.config = accounts.mrspeedy();
        this.clock = clock;
        this.registry = registry;
        this.leases = leases;
        this.holder = host() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    @Scheduled(
            identity = "mrspeedy-reconciler",
            every = "${trackline.pollers.mrspeedy.reconcile.every:60s}",
            delayed = "${trackline.pollers.mrspeedy.reconcile.every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void tick() {
        if (stopping) {
            return;
        }
        CarrierAccounts.Reconcile r = config.reconcile();
        Duration ttl =
                r.lease().compareTo(r.every().multipliedBy(2)) < 0 ? r.every().multipliedBy(2) : r.lease();
        for (String account : config.accounts().keySet()) {
            if (stopping) {
                return;
            }
            try {
                if (!holdsLease(account, ttl)) {
                    continue;
                }
                reconcile(account);
            } catch (RuntimeException e) {
                // one account's trouble never stops the others; the message names no credential (clients' rule)
                Log.warnf(
                        "MrSpeedy reconciliation of account %s failed: %s",
                        account, e.getClass().getSimpleName());
            }
        }
    }

    /**
     * Takes or renews the account's lease. Losing it forgets the account's cycle and what was published: a later
     * holder of the lease may have published since.
     */
    private boolean holdsLease(String account, Duration ttl) {
        boolean held;
        try {
            held = leases.hold(account, holder, ttl);
        } catch (RepositoryException e) {
            Log.warnf(
                    "MrSpeedy account %s not reconciled this tick: its lease was not read (%s)",
                    account, e.getMessage());
            return false;
        }
        if (held && stopping) {
            // the application began to stop while the lease was taken: give it back at once
            leased.remove(account);
            giveBack();
            return false;
        }
        if (held && leased.add(account)) {
            Log.infof("MrSpeedy account %s is reconciled by this instance (%s)", account, holder);
        } else if (!held && leased.remove(account)) {
            states.remove(account);
            Log.infof("MrSpeedy account %s is reconciled by another instance now", account);
        }
        return held;
    }

    /**
     * Gives the leases back when the application stops, so another instance reconciles these accounts at its next
     * tick. On the shutdown event, not in a {@code @PreDestroy}: beans are destroyed after the datasource's pool was
     * closed, and the release then failed ("This pool is closed") and left the leases to expire.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        releaseLeases();
    }

    /** Gives this instance's leases back (and stops taking new ones). */
    void releaseLeases() {
        stopping = true;
        if (leased.isEmpty()) {
            return;
        }
        leased.clear();
        states.clear();
        giveBack();
    }

    private void giveBack() {
        try {
            leases.release(holder);
        } catch (RuntimeException e) {
            Log.warnf("reconcile leases not given back (%s): they expire by themselves", e.getMessage());
        }
    }

    /** This instance's name in the lease table. */
    String holder() {
        return holder;
    }

    /** Skips the tick when {@code trackline.pollers.mrspeedy.reconcile.enabled=false}. */
    @ApplicationScoped
    public static class Disabled implements Scheduled.SkipPredicate {
        private final boolean enabled;

        public Disabled(CarrierAccounts accounts) {
            this.enabled = accounts.mrspeedy().reconcile().enabled();
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !enabled;
        }
    }

    /**
     * One tick's work for one account: up to its request share. Returns what was done, for tests and logs.
     */
    public Result reconcile(String account) {
        if (!client.hasAccount(account)) {
            return new Result(0, 0, 0);
        }
        CarrierAccounts.Reconcile r = config.reconcile();
        AccountState state = states.computeIfAbsent(account, a -> new AccountState(r.rememberedOrders()));
        double share = r.requestsPerHour() * (r.every().toMillis() / 3_600_000.0);
        state.credits = Math.min(Math.max(2 * share, 1), state.credits + share);
        int sent = 0;
        int published = 0;
        int publishedCouriers = 0;
        if (!state.steps.isEmpty() && state.steps.peekFirst().kind == StepKind.END_OF_CYCLE) {
            state.steps.pollFirst();
        }
        if (state.steps.isEmpty()) {
            state.startCycle();
        }
        while (state.credits >= 1 && !state.steps.isEmpty()) {
            Step step = state.steps.peekFirst();
            if (step.kind == StepKind.END_OF_OPEN_LISTS) {
                state.steps.pollFirst();
                planMissing(account, state);
                continue;
            }
            if (step.kind == StepKind.END_OF_CYCLE) {
                state.steps.pollFirst();
                break; // one cycle per tick at most: what is left of the share carries over
            }
            PollAnswer answer = step.kind == StepKind.COURIER
                    ? client.courier(account, step.orderId)
                    : client.listOrders(account, step.status, step.offset, step.count);
            if (answer.outcome() == Outcome.NO_TOKEN) {
                break; // the shared quota is spent: the step waits for the next tick
            }
            state.credits -= 1;
            sent++;
            state.steps.pollFirst();
            count(account, step.kind.name().toLowerCase(Locale.ROOT), answer.outcome());
            if (answer.outcome() != Outcome.TRACKED) {
                if (!handleRefusal(account, state, step, answer)) {
                    break;
                }
                continue;
            }
            if (step.kind == StepKind.COURIER) {
                publishedCouriers += publishCourier(account, state, step.orderId, answer);
            } else {
                published += handleList(account, state, step, answer);
            }
        }
        if (sent > 0) {
            Log.debugf(
                    "MrSpeedy reconciliation of %s: %d requests, %d orders and %d courier locations published",
                    account, sent, published, publishedCouriers);
        }
        return new Result(sent, published, publishedCouriers);
    }

    /** Forgets every account's cycle and what was published (tests). */
    void reset() {
        states.clear();
    }

    /** What one call of {@link #reconcile} did. */
    public record Result(int requests, int ordersPublished, int couriersPublished) {}

    /** False when the account should send nothing more this tick. */
    private boolean handleRefusal(String account, AccountState state, Step step, PollAnswer answer) {
        switch (answer.outcome()) {
            case RATE_LIMITED, QUOTA_EXHAUSTED -> {
                // MrSpeedy's limits are the account's, shared with its subscriptions' look-ups: all of it cools down
                state.steps.addFirst(step);
                quota.coolDown(
                        Carrier.MRSPEEDY,
                        account,
                        answer.retryAfter().orElse(MrSpeedyClient.LIMIT_COOL_DOWN),
                        answer.detail());
                Log.warnf("MrSpeedy account %s is rate limited (%s): cooling down", account, answer.detail());
                state.credits = 0;
                return false;
            }
            case UNAUTHORIZED -> {
                state.steps.addFirst(step);
                quota.stop(Carrier.MRSPEEDY, account, answer.detail());
                Log.errorf(
                        "MrSpeedy refused the auth token of account %s (%s): account stopped",
                        account, answer.detail());
                state.credits = 0;
                return false;
            }
            case INVALID_REQUEST -> {
                if (step.offset != null) {
                    // offset/count are not in the document: this carrier does not take them
                    state.pagingRefused = true;
                    Log.infof(
                            "MrSpeedy refused paging of the order list (%s): reading first pages only",
                            answer.detail());
                }
                return true;
            }
            default -> {
                return true; // CARRIER_ERROR after retries, NOT_FOUND: the next cycle asks again
            }
        }
    }

    private int handleList(String account, AccountState state, Step step, PollAnswer answer) {
        OrderList list;
        try {
            list = OrderList.read(answer.payload());
        } catch (IOException e) {
            Log.warnf("MrSpeedy order list of %s (%s) is not what the document shows", account, step.status);
            return 0;
        }
        int offset = step.offset == null ? 0 : step.offset;
        int next = offset + list.orders().size();
        boolean more = !list.orders().isEmpty() && next < list.ordersCount() && !state.pagingRefused;
        List<OrderList.Order> changed = new ArrayList<>();
        for (OrderList.Order order : list.orders()) {
            if (step.kind == StepKind.LIST_OPEN) {
                state.seen.add(order.orderId());
                if (ACTIVE.equals(order.status()) && config.reconcile().courierLocation()) {
                    state.active.add(order.orderId());
                }
            } else if (!state.missing.remove(order.orderId())) {
                continue; // a final order Trackline did not wait for: not this reconciler's business
            }
            String digest = ContentDigest.of(order.bytes());
            if (!digest.equals(state.orderDigests.get(order.orderId()))) {
                changed.add(order);
            }
        }
        int published = publishOrders(account, state, changed, answer);
        if (step.kind == StepKind.LIST_OPEN && more) {
            state.steps.addFirst(Step.list(
                    StepKind.LIST_OPEN, step.status, next, config.reconcile().pageSize()));
        } else if (step.kind == StepKind.LIST_FINAL
                && more
                && !state.missing.isEmpty()
                && next < MAX_FINAL_PAGES * config.reconcile().pageSize()) {
            state.steps.addFirst(Step.list(
                    StepKind.LIST_FINAL, step.status, next, config.reconcile().pageSize()));
        }
        return published;
    }

    /** After the open lists: the orders Trackline waits for that none showed, and the courier look-ups. */
    private void planMissing(String account, AccountState state) {
        state.missing.clear();
        for (ShipmentStatus known :
                statuses.notFinal(Carrier.MRSPEEDY, account, config.reconcile().knownOrdersLimit())) {
            if (!state.seen.contains(known.reference())) {
                state.missing.add(known.reference());
            }
        }
        List<Step> next = new ArrayList<>();
        if (!state.missing.isEmpty()) {
            for (String status : FINAL_STATUSES) {
                next.add(Step.list(StepKind.LIST_FINAL, status, null, null));
            }
        }
        Instant now = clock.instant();
        for (String orderId : state.active) {
            Instant last = state.courierAskedAt.get(orderId);
            if (last == null || !now.isBefore(last.plus(config.reconcile().courierEvery()))) {
                next.add(Step.courier(orderId));
                state.courierAskedAt.put(orderId, now);
            }
        }
        state.courierAskedAt.keySet().retainAll(state.active);
        state.courierDigests.keySet().retainAll(state.active);
        for (int i = next.size() - 1; i >= 0; i--) {
            state.steps.addFirst(next.get(i));
        }
        if (!state.missing.isEmpty()) {
            Log.debugf("MrSpeedy account %s: %d orders no open list showed", account, state.missing.size());
        }
    }

    private int publishOrders(String account, AccountState state, List<OrderList.Order> orders, PollAnswer answer) {
        if (orders.isEmpty()) {
            return 0;
        }
        OffsetDateTime receivedAt = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        String requestId = UUID.randomUUID().toString();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (OrderList.Order order : orders) {
            acks.add(raw.publish(envelope(account, order.orderId(), receivedAt, requestId, answer, order.bytes()))
                    .toCompletableFuture());
        }
        int published = 0;
        for (int i = 0; i < orders.size(); i++) {
            if (await(acks.get(i))) {
                OrderList.Order order = orders.get(i);
                state.orderDigests.put(order.orderId(), ContentDigest.of(order.bytes()));
                published++;
            }
        }
        count(account, "orders_published", published);
        return published;
    }

    private int publishCourier(String account, AccountState state, String orderId, PollAnswer answer) {
        String digest = ContentDigest.of(answer.payload());
        if (digest.equals(state.courierDigests.get(orderId))) {
            return 0;
        }
        OffsetDateTime receivedAt = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        RawEnvelope envelope =
                envelope(account, orderId, receivedAt, UUID.randomUUID().toString(), answer, answer.payload());
        if (await(raw.publish(envelope).toCompletableFuture())) {
            state.courierDigests.put(orderId, digest);
            count(account, "couriers_published", 1);
            return 1;
        }
        return 0;
    }

    private static RawEnvelope envelope(
            String account,
            String orderId,
            OffsetDateTime receivedAt,
            String requestId,
            PollAnswer answer,
            byte[] bytes) {
        ShipmentIds.of(Carrier.MRSPEEDY, account, orderId); // the order id is a valid reference
        return RawEnvelope.of(
                Carrier.MRSPEEDY,
                account,
                Source.POLL,
                orderId,
                receivedAt,
                requestId,
                answer.contentType() == null ? "application/json" : answer.contentType(),
                answer.headers(),
                bytes);
    }

    private static boolean await(CompletableFuture<Void> ack) {
        try {
            ack.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            Log.warnf(
                    "a reconciled MrSpeedy record was not published: %s",
                    e.getClass().getSimpleName());
            return false;
        }
    }

    /**
     * The request counters of every configured account exist from the start, at 0: a dashboard panel or an alert on
     * them has series before the first reconciliation request (which may come long after startup, or on another
     * instance that holds the account's lease). Every step that sends a request, every outcome it can count.
     */
    void registerMeters(@Observes StartupEvent event) {
        for (String account : config.accounts().keySet()) {
            for (StepKind kind : List.of(StepKind.LIST_OPEN, StepKind.LIST_FINAL, StepKind.COURIER)) {
                for (Outcome outcome : Outcome.values()) {
                    if (outcome != Outcome.NO_TOKEN) { // nothing was sent: never counted
                        requests(account, kind.name().toLowerCase(Locale.ROOT), outcome);
                    }
                }
            }
        }
    }

    private void count(String account, String step, Outcome outcome) {
        requests(account, step, outcome).increment();
    }

    private Counter requests(String account, String step, Outcome outcome) {
        return registry.counter(
                "trackline.pollers.mrspeedy.reconcile.requests",
                "account",
                account,
                "step",
                step,
                "outcome",
                outcome.name().toLowerCase(Locale.ROOT));
    }

    private void count(String account, String what, int n) {
        if (n > 0) {
            registry.counter("trackline.pollers.mrspeedy.reconcile.published", "account", account, "what", what)
                    .increment(n);
        }
    }

    enum StepKind {
        LIST_OPEN,
        END_OF_OPEN_LISTS,
        LIST_FINAL,
        COURIER,
        END_OF_CYCLE
    }

    /** One request of a cycle (or a marker between its phases). */
    record Step(StepKind kind, String status, Integer offset, Integer count, String orderId) {
        static Step list(StepKind kind, String status, Integer offset, Integer count) {
            return new Step(kind, status, offset, count, null);
        }

        static Step courier(String orderId) {
            return new Step(StepKind.COURIER, null, null, null, orderId);
        }

        static Step marker(StepKind kind) {
            return new Step(kind, null, null, null, null);
        }
    }

    /** One account's reconciliation: the cycle in progress and what was last published. */
    static final class AccountState {
        final Deque<Step> steps = new ArrayDeque<>();
        final Set<String> seen = new HashSet<>();
        final Set<String> active = new LinkedHashSet<>();
        final Set<String> missing = new LinkedHashSet<>();
        final Map<String, String> orderDigests;
        final Map<String, String> courierDigests = new LinkedHashMap<>();
        final Map<String, Instant> courierAskedAt = new LinkedHashMap<>();
        double credits;
        boolean pagingRefused;

        AccountState(int remembered) {
            this.orderDigests = new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > remembered;
                }
            };
        }

        void startCycle() {
            seen.clear();
            active.clear();
            for (String status : OPEN_STATUSES) {
                steps.addLast(Step.list(StepKind.LIST_OPEN, status, null, null));
            }
            steps.addLast(Step.marker(StepKind.END_OF_OPEN_LISTS));
            steps.addLast(Step.marker(StepKind.END_OF_CYCLE));
        }
    }
}
