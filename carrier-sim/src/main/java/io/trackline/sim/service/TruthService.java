package io.trackline.sim.service;

import io.trackline.events.Carrier;
import io.trackline.sim.ChangeRecord;
import io.trackline.sim.Shipment;
import io.trackline.sim.Step;
import io.trackline.sim.carrier.mrspeedy.MrSpeedyCallbacks;
import io.trackline.sim.repository.ChangeLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The referee's answers: the ground truth of status changes, the requests served, the quotas enforced, the
 * callbacks sent, and shipments on demand. Views are plain records, written as JSON by the REST layer.
 */
@ApplicationScoped
public class TruthService {

    public static final int MAX_LIMIT = 10_000;
    public static final String OVERRUN_DEFINITION = "An overrun is a request the carrier refused because the client "
            + "exceeded a quota (all24 429, 247Express APIKEY_LIMIT, MrSpeedy requests_limit_exceeded): it would "
            + "have been served beyond the documented limit. A client that keeps within its quotas causes 0.";

    private final SimEngine engine;
    private final ChangeLog changes;
    private final Referee referee;
    private final QuotaBook quotas;
    private final MrSpeedyCallbacks callbacks;
    private final SimTicker ticker;
    private final NoiseService noise;

    public TruthService(
            SimEngine engine,
            ChangeLog changes,
            Referee referee,
            QuotaBook quotas,
            MrSpeedyCallbacks callbacks,
            SimTicker ticker,
            NoiseService noise) {
        this.engine = engine;
        this.changes = changes;
        this.referee = referee;
        this.quotas = quotas;
        this.callbacks = callbacks;
        this.ticker = ticker;
        this.noise = noise;
    }

    /**
     * One status change. {@code at} is simulated time; {@code visibleAt} is when (wall) the carrier began to show it;
     * {@code firstServedAt} when (wall) a client first got it (a poll answer that held it, or a callback answered
     * 200); {@code detectionDelayMs} the difference.
     */
    public record ChangeView(
            long seq,
            String carrier,
            String account,
            String reference,
            String shipmentId,
            String field,
            String code,
            String name,
            boolean undocumented,
            String rawTime,
            Instant at,
            Instant visibleAt,
            Instant firstServedAt,
            String servedVia,
            int timesServed,
            Long detectionDelayMs) {

        static ChangeView of(ChangeRecord r) {
            Step step = r.change();
            Instant served = r.firstServedAt();
            return new ChangeView(
                    r.seq(),
                    r.carrier(),
                    r.account(),
                    r.reference(),
                    r.shipmentId(),
                    step.field(),
                    step.code(),
                    step.name(),
                    step.undocumented(),
                    r.rawTime(),
                    step.at(),
                    r.visibleAt(),
                    served,
                    r.servedVia(),
                    r.timesServed(),
                    served == null
                            ? null
                            : Duration.between(r.visibleAt(), served).toMillis());
        }
    }

    /** {@code next}: pass it back as {@code since} for the following page. */
    public record ChangesView(List<ChangeView> changes, long next, long dropped) {}

    public ChangesView changes(String carrier, String account, String reference, long since, int limit) {
        ChangeLog.Page page = changes.after(
                since,
                r -> (carrier == null || carrier.equals(r.carrier()))
                        && (account == null || account.equals(r.account()))
                        && (reference == null || reference.equals(r.reference())),
                clamp(limit));
        return new ChangesView(
                page.records().stream().map(ChangeView::of).toList(), Math.max(0, page.readUpTo()), changes.dropped());
    }

    public record RequestsView(List<Referee.RequestCount> requests, long total) {}

    public RequestsView requests(String carrier) {
        List<Referee.RequestCount> counts = referee.requests(carrier);
        return new RequestsView(
                counts, counts.stream().mapToLong(Referee.RequestCount::count).sum());
    }

    /**
     * One quota: its limit and window, what is used in the current window, what was accepted in all, and the
     * overruns (see {@link #OVERRUN_DEFINITION}); {@code refusedDuringCooldown} counts overruns that came before the
     * previous refusal's window had room again (a client not honouring Retry-After).
     */
    public record QuotaView(
            String carrier,
            String account,
            String quota,
            long limit,
            String window,
            long used,
            long remaining,
            Instant freeAt,
            long accepted,
            long overruns,
            long refusedDuringCooldown,
            Instant lastOverrunAt) {}

    public record QuotasView(String definition, String clock, long overruns, List<QuotaView> quotas) {}

    public QuotasView quotas(String carrier) {
        Instant now = quotas.now();
        List<QuotaView> views = new ArrayList<>();
        for (Quota q : quotas.all()) {
            if (carrier != null && !carrier.equals(q.carrier())) {
                continue;
            }
            long used = q.usedAt(now);
            Instant free = q.freeAtTime(now);
            views.add(new QuotaView(
                    q.carrier(),
                    q.account(),
                    q.name(),
                    q.limit(),
                    q.window(),
                    used,
                    Math.max(0, q.limit() - used),
                    free.equals(Instant.MAX) ? null : free,
                    q.accepted(),
                    q.overruns(),
                    q.refusedDuringCooldown(),
                    q.lastOverrunAt()));
        }
        return new QuotasView(
                OVERRUN_DEFINITION,
                quotas.simulated() ? "simulated" : "wall",
                views.stream().mapToLong(QuotaView::overruns).sum(),
                views);
    }

    public record CallbacksView(List<MrSpeedyCallbacks.CallbackView> callbacks, Map<String, Long> counts, long next) {}

    public CallbacksView callbacks(String account, long since, int limit) {
        List<MrSpeedyCallbacks.CallbackView> list = callbacks.after(since, account, clamp(limit));
        long next =
                list.isEmpty() ? Math.max(since, 0) : list.get(list.size() - 1).id();
        return new CallbacksView(list, callbacks.counts(), next);
    }

    /** Per carrier: changes, how many a client has got, and how late (wall milliseconds after they became visible). */
    public record CarrierSummary(
            long changes,
            long served,
            long unserved,
            long servedByPoll,
            long servedByCallback,
            long undocumented,
            Long detectionDelayP50Ms,
            Long detectionDelayP95Ms,
            Long detectionDelayMaxMs) {}

    public record SummaryView(
            Instant simulatedNow,
            Instant wallNow,
            double timeFactor,
            SimEngine.Stats engine,
            Map<String, CarrierSummary> carriers,
            long requests,
            long quotaOverruns,
            Map<String, Long> callbacks) {}

    public SummaryView summary() {
        Map<String, List<ChangeRecord>> byCarrier = new TreeMap<>();
        for (Carrier carrier : Carrier.values()) {
            byCarrier.put(carrier.id(), new ArrayList<>());
        }
        for (ChangeRecord r : changes.after(0, r -> true, Integer.MAX_VALUE).records()) {
            byCarrier.computeIfAbsent(r.carrier(), c -> new ArrayList<>()).add(r);
        }
        Map<String, CarrierSummary> carriers = new LinkedHashMap<>();
        byCarrier.forEach((carrier, records) -> carriers.put(carrier, summarise(records)));
        SimClock clock = engine.clock();
        return new SummaryView(
                clock.instant(),
                clock.wallNow(),
                clock.factor(),
                engine.stats(),
                carriers,
                requests(null).total(),
                quotas(null).overruns(),
                callbacks.counts());
    }

    private static CarrierSummary summarise(List<ChangeRecord> records) {
        long served = 0;
        long byPoll = 0;
        long byCallback = 0;
        long undocumented = 0;
        long[] delays = new long[records.size()];
        int n = 0;
        for (ChangeRecord r : records) {
            if (r.change().undocumented()) {
                undocumented++;
            }
            Instant at = r.firstServedAt();
            if (at == null) {
                continue;
            }
            served++;
            if ("callback".equals(r.servedVia())) {
                byCallback++;
            } else {
                byPoll++;
            }
            delays[n++] = Duration.between(r.visibleAt(), at).toMillis();
        }
        Arrays.sort(delays, 0, n);
        return new CarrierSummary(
                records.size(),
                served,
                records.size() - served,
                byPoll,
                byCallback,
                undocumented,
                percentile(delays, n, 0.5),
                percentile(delays, n, 0.95),
                percentile(delays, n, 1));
    }

    /** The nearest-rank percentile of the first {@code n} sorted values, null when there are none. */
    private static Long percentile(long[] sorted, int n, double p) {
        return n == 0 ? null : sorted[Math.max(0, (int) Math.ceil(p * n) - 1)];
    }

    /** A shipment with every change: those that happened (with their seq) and those still to come. */
    public record ShipmentView(
            String carrier,
            String account,
            String reference,
            String shipmentId,
            Map<String, String> references,
            String scenario,
            boolean onDemand,
            Instant createdAt,
            boolean finished,
            String status,
            List<StepView> steps) {}

    public record StepView(
            int index,
            Instant at,
            String rawTime,
            String field,
            String code,
            String name,
            boolean undocumented,
            boolean happened,
            Long seq) {}

    public record ShipmentSummary(
            long serial,
            String carrier,
            String account,
            String reference,
            String shipmentId,
            Map<String, String> references,
            String scenario,
            Instant createdAt,
            boolean finished,
            String status) {}

    public record ShipmentsView(List<ShipmentSummary> shipments, long next) {}

    public ShipmentView create(String carrier, String account, String scenario) {
        Carrier c = carrier(carrier);
        try {
            Shipment shipment = engine.create(c, Optional.ofNullable(account), Optional.ofNullable(scenario));
            return engine.read(repository -> view(shipment));
        } catch (IllegalArgumentException e) {
            throw new SimException(400, "invalid_shipment", e.getMessage());
        } catch (IllegalStateException e) {
            throw new SimException(503, "simulator_full", e.getMessage());
        }
    }

    public ShipmentView shipment(String carrier, String reference) {
        Carrier c = carrier(carrier);
        ShipmentView view = engine.read(repository -> {
            Shipment shipment = repository.find(c, reference);
            return shipment == null ? null : view(shipment);
        });
        if (view == null) {
            throw new SimException(
                    404,
                    "shipment_not_found",
                    "no " + carrier + " shipment " + reference + " (never created, or forgotten after the retention)");
        }
        return view;
    }

    public ShipmentsView shipments(String carrier, String account, long since, int limit) {
        Carrier c = carrier == null ? null : carrier(carrier);
        List<ShipmentSummary> list = engine.read(repository -> repository
                .after(
                        since,
                        s -> (c == null || s.carrier() == c) && (account == null || account.equals(s.account())),
                        clamp(limit))
                .stream()
                .map(this::summary)
                .toList());
        return new ShipmentsView(
                list,
                list.isEmpty() ? Math.max(since, 0) : list.get(list.size() - 1).serial());
    }

    private ShipmentSummary summary(Shipment s) {
        return new ShipmentSummary(
                s.serial(),
                s.carrier().id(),
                s.account(),
                s.reference(),
                s.shipmentId(),
                engine.lifecycle(s.carrier()).references(s),
                s.scenario(),
                s.createdAt(),
                s.finished(),
                status(s));
    }

    private ShipmentView view(Shipment s) {
        List<StepView> steps = new ArrayList<>();
        for (int i = 0; i < s.steps().size(); i++) {
            Step step = s.steps().get(i);
            boolean happened = i < s.revealed();
            steps.add(new StepView(
                    i,
                    step.at(),
                    engine.lifecycle(s.carrier()).rawTime(s, i),
                    step.field(),
                    step.code(),
                    step.name(),
                    step.undocumented(),
                    happened,
                    happened ? s.record(i).seq() : null));
        }
        return new ShipmentView(
                s.carrier().id(),
                s.account(),
                s.reference(),
                s.shipmentId(),
                engine.lifecycle(s.carrier()).references(s),
                s.scenario(),
                s.manual(),
                s.createdAt(),
                s.finished(),
                status(s),
                steps);
    }

    /** The last code shown in the carrier's main status field. */
    private static String status(Shipment s) {
        String status = null;
        for (Step step : s.visibleSteps()) {
            if (!step.field().equals("delayCode") && !step.field().equals("point.courier_visit")) {
                status = step.code();
            }
        }
        return status;
    }

    public record ClockView(
            String mode,
            Instant simulatedNow,
            Instant wallNow,
            double timeFactor,
            Instant processedUntil,
            long ticks) {}

    public ClockView clock() {
        SimClock clock = engine.clock();
        return new ClockView(
                clock.manual() ? "manual" : "scaled",
                clock.instant(),
                clock.wallNow(),
                clock.factor(),
                engine.stats().processedUntil(),
                ticker.ticks());
    }

    /** Moves a manual clock and ticks once, so that the caller sees the changes at once. */
    public ClockView advance(Duration by) {
        if (!engine.clock().manual()) {
            throw new SimException(409, "clock_not_manual", "the clock is scaled; set trackline.sim.clock.mode=manual");
        }
        if (by == null || by.isNegative()) {
            throw new SimException(400, "invalid_duration", "give a positive ISO-8601 duration, e.g. by=PT1H");
        }
        engine.clock().advance(by);
        ticker.tick();
        return clock();
    }

    /** Noise settings as JSON shows them (the delay in milliseconds). */
    public record NoiseView(
            double failureRate,
            double slowRate,
            long slowDelayMs,
            double duplicateRate,
            double reorderRate,
            double unknownCodeRate) {}

    public NoiseView noise() {
        NoiseSettings n = noise.settings();
        return new NoiseView(
                n.failureRate(),
                n.slowRate(),
                n.slowDelay().toMillis(),
                n.duplicateRate(),
                n.reorderRate(),
                n.unknownCodeRate());
    }

    public NoiseView noise(NoiseView update) {
        try {
            noise.update(new NoiseSettings(
                    update.failureRate(),
                    update.slowRate(),
                    Duration.ofMillis(update.slowDelayMs()),
                    update.duplicateRate(),
                    update.reorderRate(),
                    update.unknownCodeRate()));
        } catch (IllegalArgumentException e) {
            throw new SimException(400, "invalid_noise", e.getMessage());
        }
        return noise();
    }

    private static Carrier carrier(String id) {
        return Carrier.find(id == null ? "" : id)
                .orElseThrow(() ->
                        new SimException(400, "unknown_carrier", "carrier must be one of all24, 247express, mrspeedy"));
    }

    private static int clamp(int limit) {
        return limit <= 0 ? 1000 : Math.min(limit, MAX_LIMIT);
    }
}
