package io.trackline.sim.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.logging.Log;
import io.trackline.events.Carrier;
import io.trackline.sim.ChangeRecord;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import io.trackline.sim.carrier.CarrierLifecycle;
import io.trackline.sim.carrier.PlanRequest;
import io.trackline.sim.config.SimConfig;
import io.trackline.sim.repository.ChangeLog;
import io.trackline.sim.repository.ShipmentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Creates shipments per carrier at the configured rate and makes their planned changes happen as simulated time
 * passes. Everything that happens is a function of the seed, the configuration and the simulated time alone: arrival
 * times come from one seeded stream per carrier, each shipment's whole life from its own stream (derived from the seed,
 * its carrier and its index), and events are processed in time order (ties by creation order) however the ticks fall.
 * One lock guards the engine, its repository and its log; the carrier APIs read through {@link #read}.
 */
@ApplicationScoped
public class SimEngine {

    private static final long ARRIVALS = 1;
    private static final long BACKGROUND = 2;
    private static final long ON_DEMAND = 3;
    private static final long ACCOUNTS = 4;

    private final SimConfig config;
    private final SimClock clock;
    private final ShipmentRepository repository;
    private final ChangeLog changes;
    private final NoiseService noise;
    private final List<ChangeListener> listeners;
    private final MeterRegistry registry;
    private final Map<Carrier, CarrierLifecycle> lifecycles = new EnumMap<>(Carrier.class);
    private final Map<Carrier, Arrivals> arrivals = new EnumMap<>(Carrier.class);
    private final Map<Carrier, Long> onDemand = new EnumMap<>(Carrier.class);
    private final PriorityQueue<Shipment> pending = new PriorityQueue<>(
            Comparator.comparing((Shipment s) -> s.nextStep().at()).thenComparingLong(Shipment::serial));
    private final PriorityQueue<Shipment> finished =
            new PriorityQueue<>(Comparator.comparing(this::forgetAt).thenComparingLong(Shipment::serial));
    private final Duration retention;
    private final long salt;
    private long serial;
    private long skipped;
    private long forgotten;
    private Instant processedUntil;

    public SimEngine(
            SimConfig config,
            SimClock clock,
            ShipmentRepository repository,
            ChangeLog changes,
            NoiseService noise,
            @All List<CarrierLifecycle> carriers,
            @All List<ChangeListener> listeners,
            MeterRegistry registry) {
        this.config = config;
        this.clock = clock;
        this.repository = repository;
        this.changes = changes;
        this.noise = noise;
        this.listeners = List.copyOf(listeners);
        this.registry = registry;
        // At least a second, so that a shipment is never forgotten before its last change is processed.
        this.retention = config.engine().retention().compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1)
                : config.engine().retention();
        this.salt = Seeds.mix(config.seed()) >>> 33;
        // Traffic runs from the configured start, however long after the clock started this engine is built (a scaled
        // clock runs from its own creation): the same seed and configuration then give the same shipments at the same
        // simulated instants in every run, as a benchmark comparing runs side by side needs.
        this.processedUntil =
                config.clock().start().map(OffsetDateTime::toInstant).orElseGet(clock::instant);
        for (CarrierLifecycle lifecycle : carriers) {
            lifecycles.put(lifecycle.carrier(), lifecycle);
            SimConfig.Traffic traffic = config.traffic().get(lifecycle.carrier().id());
            arrivals.put(lifecycle.carrier(), new Arrivals(lifecycle, traffic, processedUntil));
            onDemand.put(lifecycle.carrier(), 0L);
        }
        registry.gauge("trackline.sim.shipments.live", this, engine -> engine.live());
    }

    /** The background arrivals of one carrier: a Poisson process shaped by the carrier's order profile. */
    private final class Arrivals {
        final CarrierLifecycle lifecycle;
        final SplittableRandom random;
        final long count;
        final Duration mean;
        long created;
        Instant next;

        Arrivals(CarrierLifecycle lifecycle, SimConfig.Traffic traffic, Instant start) {
            this.lifecycle = lifecycle;
            this.random = new SplittableRandom(
                    Seeds.mix(config.seed(), lifecycle.carrier().ordinal(), ARRIVALS));
            double perDay = traffic == null ? 0 : traffic.perDay();
            this.count = traffic == null || perDay <= 0 || lifecycle.accounts().isEmpty() ? 0 : traffic.count();
            // perDay spread over the profile's busy hours: a fully busy hour gets perDay / busyHours arrivals.
            this.mean = count == 0
                    ? Duration.ZERO
                    : Duration.ofMillis((long) (lifecycle.orderProfile().busyHoursPerDay() / perDay * 3_600_000));
            this.next = count == 0 ? null : draw(start);
        }

        Instant draw(Instant after) {
            return lifecycle.orderProfile().next(after, mean, lifecycle.zone(), random);
        }
    }

    public SimClock clock() {
        return clock;
    }

    /** Makes everything due up to {@code until} (simulated) happen, in time order. */
    public synchronized void advanceTo(Instant until) {
        while (true) {
            Shipment step = pending.peek();
            Instant stepAt = step == null ? null : step.nextStep().at();
            Arrivals arrival = null;
            for (Arrivals candidate : arrivals.values()) {
                if (candidate.next != null && (arrival == null || candidate.next.isBefore(arrival.next))) {
                    arrival = candidate;
                }
            }
            boolean stepFirst = stepAt != null && (arrival == null || !arrival.next.isBefore(stepAt));
            Instant at = stepFirst ? stepAt : arrival == null ? null : arrival.next;
            if (at == null || at.isAfter(until)) {
                break;
            }
            forgetUntil(at);
            if (stepFirst) {
                pending.poll();
                reveal(step);
            } else {
                arrive(arrival, at);
            }
        }
        forgetUntil(until);
        if (until.isAfter(processedUntil)) {
            processedUntil = until;
        }
    }

    private void arrive(Arrivals arrival, Instant at) {
        long index = arrival.created++;
        arrival.next = arrival.created < arrival.count ? arrival.draw(at) : null;
        if (repository.size() >= config.engine().maxShipments()) {
            skipped++;
            return;
        }
        Carrier carrier = arrival.lifecycle.carrier();
        String account = account(arrival.lifecycle, index, BACKGROUND);
        add(arrival.lifecycle.plan(new PlanRequest(
                account,
                index,
                false,
                ++serial,
                at,
                random(carrier, BACKGROUND, index),
                Optional.empty(),
                noise.settings(),
                salt)));
    }

    /**
     * Creates a shipment now (simulated), for a test or a demo, and makes its first change happen at once.
     *
     * @throws IllegalArgumentException for an unknown account or scenario
     * @throws IllegalStateException when the simulator holds its maximum of shipments
     */
    public synchronized Shipment create(Carrier carrier, Optional<String> account, Optional<String> scenario) {
        CarrierLifecycle lifecycle = lifecycles.get(carrier);
        if (lifecycle == null) {
            throw new IllegalArgumentException("carrier " + carrier + " is not simulated");
        }
        if (account.isPresent() && !lifecycle.accounts().contains(account.get())) {
            throw new IllegalArgumentException("no " + carrier + " account " + account.get() + " is configured");
        }
        if (lifecycle.accounts().isEmpty()) {
            throw new IllegalArgumentException("no " + carrier + " account is configured");
        }
        if (scenario.isPresent() && !lifecycle.scenarios().contains(scenario.get())) {
            throw new IllegalArgumentException(
                    carrier + " has no scenario " + scenario.get() + "; it has " + lifecycle.scenarios());
        }
        if (repository.size() >= config.engine().maxShipments()) {
            throw new IllegalStateException(
                    "the simulator holds its maximum of " + config.engine().maxShipments() + " shipments");
        }
        Instant now = clock.instant();
        advanceTo(now);
        long index = onDemand.merge(carrier, 1L, Long::sum) - 1;
        String owner = account.orElseGet(() -> account(lifecycle, index, ON_DEMAND));
        Shipment shipment = lifecycle.plan(new PlanRequest(
                owner,
                index,
                true,
                ++serial,
                now,
                random(carrier, ON_DEMAND, index),
                scenario,
                noise.settings(),
                salt));
        add(shipment);
        advanceTo(now.isAfter(shipment.createdAt()) ? now : shipment.createdAt());
        return shipment;
    }

    private void add(Shipment shipment) {
        repository.add(shipment);
        pending.add(shipment);
        registry.counter(
                        "trackline.sim.shipments.created",
                        "carrier",
                        shipment.carrier().id())
                .increment();
    }

    private void reveal(Shipment shipment) {
        int step = shipment.revealed();
        Step change = shipment.nextStep();
        CarrierLifecycle lifecycle = lifecycles.get(shipment.carrier());
        ChangeRecord record = new ChangeRecord(
                changes.nextSeq(),
                shipment.carrier().id(),
                shipment.account(),
                shipment.reference(),
                step,
                change,
                lifecycle.rawTime(shipment, step),
                clock.wallNow());
        shipment.reveal(record);
        changes.append(record);
        registry.counter(
                        "trackline.sim.changes.revealed",
                        "carrier",
                        shipment.carrier().id())
                .increment();
        for (ChangeListener listener : listeners) {
            try {
                listener.revealed(shipment, step, record);
            } catch (RuntimeException e) {
                Log.warnf(e, "change listener failed for %s", shipment.shipmentId());
            }
        }
        if (shipment.finished()) {
            finished.add(shipment);
        } else {
            pending.add(shipment);
        }
    }

    private Instant forgetAt(Shipment shipment) {
        return shipment.lastChangeAt().plus(retention);
    }

    /** Carriers forget finished shipments after the retention; so does the simulator, to stay bounded. */
    private void forgetUntil(Instant at) {
        while (!finished.isEmpty() && !forgetAt(finished.peek()).isAfter(at)) {
            repository.remove(finished.poll());
            forgotten++;
        }
    }

    private String account(CarrierLifecycle lifecycle, long index, long kind) {
        List<String> accounts = lifecycle.accounts();
        SplittableRandom random = new SplittableRandom(
                Seeds.mix(config.seed(), lifecycle.carrier().ordinal(), ACCOUNTS, kind, index));
        return accounts.get(random.nextInt(accounts.size()));
    }

    private SplittableRandom random(Carrier carrier, long kind, long index) {
        return new SplittableRandom(Seeds.mix(config.seed(), carrier.ordinal(), kind, index));
    }

    /** Reads the carriers' state under the engine's lock. */
    public synchronized <T> T read(Function<ShipmentRepository, T> reader) {
        return reader.apply(repository);
    }

    public CarrierLifecycle lifecycle(Carrier carrier) {
        return lifecycles.get(carrier);
    }

    public synchronized int live() {
        return repository.size();
    }

    public synchronized Stats stats() {
        Map<String, Long> created = new TreeMap<>();
        arrivals.forEach((carrier, a) -> created.put(carrier.id(), a.created));
        Map<String, Long> manual = new TreeMap<>();
        onDemand.forEach((carrier, n) -> manual.put(carrier.id(), n));
        return new Stats(processedUntil, repository.size(), created, manual, skipped, forgotten, changes.last());
    }

    /**
     * @param processedUntil simulated time up to which every change has happened
     * @param backgroundCreated background arrivals so far per carrier (skipped ones included)
     * @param onDemandCreated shipments made by {@code POST /sim/shipments} per carrier
     * @param skipped arrivals not created because the simulator was full
     * @param forgotten finished shipments dropped after the retention
     */
    public record Stats(
            Instant processedUntil,
            int live,
            Map<String, Long> backgroundCreated,
            Map<String, Long> onDemandCreated,
            long skipped,
            long forgotten,
            long changes) {}

    /** For tests: every shipment, in creation order. */
    public synchronized List<Shipment> all() {
        return new ArrayList<>(repository.after(0, s -> true, Integer.MAX_VALUE));
    }
}
