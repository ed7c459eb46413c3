package io.trackline.pollers.service;

import io.trackline.events.CanonicalStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Polls where news is likely: the priority of a subscription is the detection delay it has accrued since Trackline's
 * picture of it was last known current (t₀: the last look-up or the last news, whichever is later),
 *
 * <pre>
 *   I(t) = ∫ from t₀ to t of (t − s) · λ(s) ds
 * </pre>
 *
 * the expected sum, over the changes that happened since t₀, of how long each has been waiting to be seen, with λ
 * from the {@link HazardModel}. Polling the highest I first spends the budget where it removes the most waiting.
 * With a constant λ, I = λ(t − t₀)²/2: every subscription is polled when I reaches the same level, i.e. at intervals
 * ∝ 1/√λ, frequencies ∝ √λ, which is the square-root rule that minimizes the mean detection delay for a given budget
 * (docs/pollers.md derives it). With λ varying by the hour, I grows only while changes are likely (and keeps growing
 * afterwards, for a change that may already wait), so the budget is not spent at night on shipments that cannot move.
 *
 * <p>I is kept as two running integrals per subscription (Λ = ∫λ, M = ∫(s − t₀)λ), extended from the last tick to
 * now in steps of at most {@link #STEP} (midpoint rule; λ changes by the hour), so a tick costs a few operations per
 * subscription; they start again when t₀ or what λ depends on (status, since when, ETA) changes.
 */
public final class AdaptivePolicy implements PollPolicy {

    /** Integration step: a quarter of the hourly profiles' resolution. */
    static final Duration STEP = Duration.ofMinutes(15);

    /** λ of one subscription at {@code at}, changes per hour ({@link HazardModel#rate}, or a test's). */
    @FunctionalInterface
    public interface ChangeRate {
        double rate(Tracked entry, Instant at);
    }

    /**
     * λ of a typical subscription of {@code entry}'s carrier and status at {@code at}: what pacing goes by (the
     * status' hours, without the corrections of one shipment's dwell and ETA).
     */
    @FunctionalInterface
    public interface TypicalRate {
        double rate(Tracked entry, Instant at);
    }

    private final ChangeRate rates;
    private final TypicalRate typical;
    private final Duration lookback;
    /** Pacing: how far back the change rate a look-up at t can find is averaged (0 or one step: λ at t alone). */
    private final long paceSlots;

    /** Pacing by {@code rates} themselves, one subscription of each carrier and status standing for all of them. */
    public AdaptivePolicy(ChangeRate rates, Duration lookback) {
        this(rates, rates::rate, lookback, Duration.ZERO);
    }

    /**
     * @param paceWindow pacing weighs each instant by the change rate averaged over this span before it, the changes
     *                   a look-up then can find ({@link #spendWeight}); zero: by the rate at the instant alone
     */
    public AdaptivePolicy(ChangeRate rates, TypicalRate typical, Duration lookback, Duration paceWindow) {
        if (paceWindow.isNegative()) {
            throw new IllegalArgumentException(
                    "trackline.pollers.scheduling.adaptive.pace-window must not be negative");
        }
        this.rates = rates;
        this.typical = typical;
        this.lookback = lookback;
        this.paceSlots = Math.max(1, paceWindow.toMillis() / STEP.toMillis());
    }

    public AdaptivePolicy(HazardModel hazards, Duration lookback) {
        this(hazards, lookback, Duration.ZERO);
    }

    public AdaptivePolicy(HazardModel hazards, Duration lookback, Duration paceWindow) {
        this(
                (e, at) -> {
                    ShipmentStatus s = e.status();
                    return s == null
                            ? hazards.rate(e.subscription().carrier(), null, null, null, at)
                            : hazards.rate(
                                    e.subscription().carrier(),
                                    s.status(),
                                    s.statusSince() == null
                                            ? null
                                            : s.statusSince().toInstant(),
                                    s.eta(),
                                    at);
                },
                (e, at) -> hazards.rate(
                        e.subscription().carrier(),
                        e.status() == null ? null : e.status().status(),
                        null,
                        null,
                        at),
                lookback,
                paceWindow);
    }

    private record Key(Instant from, CanonicalStatus status, Instant since, OffsetDateTime eta) {}

    @Override
    public double priority(Tracked e, Instant now) {
        return index(e, now);
    }

    /** I(now) of {@code e}, in hours (expected hours of detection delay accrued). */
    public double index(Tracked e, Instant now) {
        Instant from = e.lastKnownCurrent();
        Instant earliest = now.minus(lookback);
        if (from.isBefore(earliest)) {
            from = earliest;
        }
        ShipmentStatus status = e.status();
        Key key = new Key(
                from,
                status == null ? null : status.status(),
                status == null || status.statusSince() == null
                        ? null
                        : status.statusSince().toInstant(),
                status == null ? null : status.eta());
        if (!Objects.equals(key, e.accrualKey) || e.accruedTo == null || now.isBefore(e.accruedTo)) {
            e.accrualKey = key;
            e.accrualFrom = from;
            e.accruedTo = from;
            e.lambda = 0;
            e.moment = 0;
        }
        integrate(e, now);
        double t = hours(e.accrualFrom, now);
        return Math.max(0, t * e.lambda - e.moment);
    }

    private void integrate(Tracked e, Instant to) {
        // in whole milliseconds: a remainder below one would never be stepped over
        long from = e.accruedTo.toEpochMilli();
        long end = to.toEpochMilli();
        long step = STEP.toMillis();
        while (from < end) {
            long ms = Math.min(step, end - from);
            Instant mid = Instant.ofEpochMilli(from + ms / 2);
            double rate = rates.rate(e, mid);
            double dt = ms / 3_600_000.0;
            e.lambda += rate * dt;
            e.moment += hours(e.accrualFrom, mid) * rate * dt;
            from += ms;
        }
        e.accruedTo = Instant.ofEpochMilli(Math.max(end, e.accruedTo.toEpochMilli()));
    }

    @Override
    public void changed(Tracked e) {
        e.accrualKey = null;
    }

    /**
     * Spend where the changes can be found: the weight of a span is ∫ Σᵢ √λ̄ᵢ(t) dt over the account's subscriptions,
     * each at its status' typical rate, λ̄ᵢ(t) the mean of that rate over the pace window before t. Under the
     * square-root rule each subscription is polled at a frequency ∝ √λᵢ (with one constant of proportion for the
     * whole budget period: the Lagrange multiplier of the budget), so the polls an account makes are ∝ Σᵢ √λᵢ; sharing
     * the budget left in proportion keeps it for the hours in which shipments move (nothing at 3 a.m. but line-haul)
     * instead of an even pace over the day. The mean over the window, not the rate at t: a look-up finds the changes
     * made since the previous one, hours back when the budget binds, so when the hours of work end (a hub's intake at
     * 18:00) the afternoon's changes still wait and the evening's look-ups are worth what the afternoon's were; by the
     * rate at t alone the evening got nothing and those changes waited for the next morning. The statuses are taken
     * as they are now: the span ahead is a forecast, renewed every tick.
     */
    @Override
    public double spendWeight(Collection<Tracked> entries, Instant from, Instant to) {
        if (!to.isAfter(from) || entries.isEmpty()) {
            return 0;
        }
        Map<Object, Group> groups = new HashMap<>();
        for (Tracked e : entries) {
            Object key = List.of(
                    e.subscription().carrier(),
                    e.status() == null || e.status().status() == null
                            ? "none"
                            : e.status().status());
            groups.computeIfAbsent(key, k -> new Group(e)).count++;
        }
        long step = STEP.toMillis();
        long start = from.toEpochMilli();
        long end = to.toEpochMilli();
        long first = Math.floorDiv(start, step); // the 15-minute grid
        long last = Math.floorDiv(end - 1, step);
        int window = (int) paceSlots;
        double weight = 0;
        for (Group g : groups.values()) {
            // the typical rate of each slot from window - 1 slots before the first to the last, then a running mean
            double[] rates = new double[(int) (last - first) + window];
            for (int k = 0; k < rates.length; k++) {
                long slot = first - window + 1 + k;
                rates[k] = Math.max(0, typical.rate(g.representative, Instant.ofEpochMilli(slot * step + step / 2)));
            }
            double sum = 0;
            for (int k = 0; k < window - 1; k++) {
                sum += rates[k];
            }
            for (long slot = first; slot <= last; slot++) {
                int k = (int) (slot - first) + window - 1;
                sum += rates[k];
                long a = Math.max(start, slot * step);
                long b = Math.min(end, slot * step + step);
                weight += g.count * Math.sqrt(Math.max(0, sum / window)) * (b - a) / 3_600_000.0;
                sum -= rates[k - window + 1];
            }
        }
        return weight;
    }

    @Override
    public boolean pacesByWeight() {
        return true;
    }

    private static final class Group {
        final Tracked representative;
        long count;

        Group(Tracked representative) {
            this.representative = representative;
        }
    }

    static double hours(Instant from, Instant to) {
        return (to.toEpochMilli() - from.toEpochMilli()) / 3_600_000.0;
    }
}
