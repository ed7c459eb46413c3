package io.trackline.pollers.service;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.trackline.events.Carrier;
import io.trackline.events.RawEnvelope;
import io.trackline.events.Subscription;
import io.trackline.pollers.config.SchedulingConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Small fakes of the scheduler's collaborators, for tests that drive ticks by hand on a clock they move. */
public final class SchedulingFakes {

    private SchedulingFakes() {}

    /** The scheduling configuration with its defaults, and {@code overrides} (full property names) over them. */
    public static SchedulingConfig config(Map<String, String> overrides) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(SchedulingConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(overrides, "test", 500))
                .build();
        return config.getConfigMapping(SchedulingConfig.class);
    }

    /** A clock a test moves. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        public void set(Instant at) {
            now = at;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A carrier whose answers a test decides (by reference), counting every look-up. */
    public static final class FakeCarrier implements CarrierClient {
        private final Carrier carrier;
        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private final List<String> log = new CopyOnWriteArrayList<>();
        private volatile Function<Subscription, PollAnswer> answers;

        public FakeCarrier(Carrier carrier) {
            this.carrier = carrier;
            this.answers = s -> tracked("{\"ref\":\"" + s.reference() + "\",\"v\":1}");
        }

        public void answer(Function<Subscription, PollAnswer> answers) {
            this.answers = answers;
        }

        public static PollAnswer tracked(String json) {
            return PollAnswer.tracked(json.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        }

        @Override
        public Carrier carrier() {
            return carrier;
        }

        @Override
        public PollAnswer track(Subscription subscription) {
            calls.computeIfAbsent(subscription.reference(), r -> new AtomicInteger())
                    .incrementAndGet();
            log.add(subscription.reference());
            return answers.apply(subscription);
        }

        public int calls(String reference) {
            AtomicInteger n = calls.get(reference);
            return n == null ? 0 : n.get();
        }

        public int total() {
            return log.size();
        }

        public List<String> log() {
            return List.copyOf(log);
        }

        public Map<String, Integer> counts() {
            Map<String, Integer> m = new HashMap<>();
            calls.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }
    }

    /** Poll states in memory, with the repository's compare-and-set. */
    public static final class InMemoryPollStates implements PollStates {
        private final Map<String, PollState> rows = new ConcurrentHashMap<>();

        @Override
        public synchronized Map<String, PollState> loadOrCreate(Collection<Subscription> subscriptions) {
            Map<String, PollState> out = new HashMap<>();
            for (Subscription s : subscriptions) {
                out.put(s.shipmentId(), rows.computeIfAbsent(s.shipmentId(), id -> PollState.fresh(s)));
            }
            return out;
        }

        @Override
        public synchronized Map<String, PollState> load(Collection<String> shipmentIds) {
            Map<String, PollState> out = new HashMap<>();
            for (String id : shipmentIds) {
                PollState s = rows.get(id);
                if (s != null) {
                    out.put(id, s);
                }
            }
            return out;
        }

        @Override
        public synchronized Set<String> compareAndSet(Collection<PollState> states) {
            Set<String> written = new HashSet<>();
            for (PollState s : states) {
                PollState stored = rows.get(s.shipmentId());
                if (stored != null && stored.version() == s.version()) {
                    rows.put(s.shipmentId(), s.written());
                    written.add(s.shipmentId());
                }
            }
            return written;
        }

        @Override
        public synchronized void delete(String shipmentId) {
            rows.remove(shipmentId);
        }

        public PollState get(String shipmentId) {
            return rows.get(shipmentId);
        }
    }

    /** Statuses a test sets. */
    public static final class FakeStatuses implements ShipmentStatuses {
        private final Map<String, ShipmentStatus> byId = new ConcurrentHashMap<>();

        public void put(ShipmentStatus s) {
            byId.put(s.shipmentId(), s);
        }

        @Override
        public java.util.Optional<ShipmentStatus> find(String shipmentId) {
            return java.util.Optional.ofNullable(byId.get(shipmentId));
        }

        @Override
        public Map<String, ShipmentStatus> findAll(Collection<String> shipmentIds) {
            Map<String, ShipmentStatus> out = new HashMap<>();
            for (String id : shipmentIds) {
                ShipmentStatus s = byId.get(id);
                if (s != null) {
                    out.put(id, s);
                }
            }
            return out;
        }

        @Override
        public List<ShipmentStatus> notFinal(Carrier carrier, String account, int limit) {
            return byId.values().stream()
                    .filter(s -> s.carrier() == carrier && s.account().equals(account) && !s.isFinal())
                    .limit(limit)
                    .toList();
        }
    }

    /** A daily budget per account that a test sets; tryTake spends it. */
    public static final class FakeQuota implements Quota {
        private final Map<String, Long> left = new ConcurrentHashMap<>();
        private final long initial;
        public final List<String> refusals = new CopyOnWriteArrayList<>();

        public FakeQuota(long perAccount) {
            this.initial = perAccount;
        }

        @Override
        public synchronized boolean tryTake(Carrier carrier, String account) {
            long n = remainingToday(carrier, account);
            if (n <= 0) {
                return false;
            }
            left.put(carrier.id() + ':' + account, n - 1);
            return true;
        }

        @Override
        public void coolDown(Carrier carrier, String account, Duration period, String reason) {
            refusals.add("cool-down " + carrier.id() + ':' + account + ' ' + period + ' ' + reason);
        }

        @Override
        public void stop(Carrier carrier, String account, String reason) {
            refusals.add("stop " + carrier.id() + ':' + account + ' ' + reason);
            left.put(carrier.id() + ':' + account, 0L);
        }

        @Override
        public synchronized long remainingToday(Carrier carrier, String account) {
            return left.getOrDefault(carrier.id() + ':' + account, initial);
        }
    }

    /** Records what is published; fails every publication while {@link #failing} is set. */
    public static final class CapturingRawTopic implements RawTopic {
        public final List<RawEnvelope> published = new CopyOnWriteArrayList<>();
        public volatile boolean failing;

        @Override
        public CompletionStage<Void> publish(RawEnvelope envelope) {
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker away"));
            }
            published.add(envelope);
            return CompletableFuture.completedFuture(null);
        }

        public List<String> references() {
            List<String> refs = new ArrayList<>();
            for (RawEnvelope e : published) {
                refs.add(e.shipmentRef());
            }
            return refs;
        }
    }
}
