package io.trackline.pollers.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.Subscription;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdaptivePolicyTest {

    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    static Tracked entry(String ref, Instant polledAt) {
        Subscription s = new Subscription(Carrier.ALL24, "acme", ref, null, T0.atOffset(ZoneOffset.UTC));
        PollState state = PollState.fresh(s);
        if (polledAt != null) {
            state = state.tracked(polledAt, "sha-256:x", false);
        }
        return new Tracked(0, s, state);
    }

    static ShipmentStatus status(Tracked t, CanonicalStatus status) {
        return new ShipmentStatus(
                t.shipmentId(), Carrier.ALL24, "acme", t.subscription().reference(), status, null, null, null);
    }

    @Test
    void withAConstantRateTheIndexIsHalfLambdaTimesTheWaitSquared() {
        AdaptivePolicy policy = new AdaptivePolicy((e, at) -> 4.0, Duration.ofDays(7));
        Tracked t = entry("A", T0);
        assertThat(policy.index(t, T0.plus(Duration.ofHours(1)))).isCloseTo(2.0, offset(1e-9));
        // extended tick by tick, the same
        for (int m = 61; m <= 150; m++) {
            policy.index(t, T0.plus(Duration.ofMinutes(m)));
        }
        assertThat(policy.index(t, T0.plus(Duration.ofMinutes(150)))).isCloseTo(4 * 2.5 * 2.5 / 2, offset(1e-9));
    }

    @Test
    void timesWithinOneMillisecondEndTheIntegration() {
        AdaptivePolicy policy = new AdaptivePolicy((e, at) -> 1.0, Duration.ofDays(7));
        Tracked t = entry("A", T0.plusNanos(300_000));
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            policy.index(t, T0.plus(Duration.ofHours(1)).plusNanos(1_500_000));
            policy.index(t, T0.plus(Duration.ofHours(1)).plusNanos(1_700_000));
        });
        assertThat(policy.index(t, T0.plus(Duration.ofHours(1)).plusNanos(1_900_000)))
                .isCloseTo(0.5, offset(1e-3));
    }

    @Test
    void anewsOrAPollStartsTheIndexAgain() {
        AdaptivePolicy policy = new AdaptivePolicy((e, at) -> 1.0, Duration.ofDays(7));
        Tracked t = entry("A", T0);
        assertThat(policy.index(t, T0.plus(Duration.ofHours(2)))).isCloseTo(2.0, offset(1e-9));
        t.state(t.state().tracked(T0.plus(Duration.ofHours(2)), "sha-256:y", true));
        assertThat(policy.index(t, T0.plus(Duration.ofHours(3)))).isCloseTo(0.5, offset(1e-9));
        t.status(new ShipmentStatus(
                t.shipmentId(),
                Carrier.ALL24,
                "acme",
                "A",
                CanonicalStatus.IN_TRANSIT,
                null,
                T0.plus(Duration.ofHours(3)).atOffset(ZoneOffset.UTC),
                null));
        assertThat(policy.index(t, T0.plus(Duration.ofHours(4)))).isCloseTo(0.5, offset(1e-9));
    }

    @Test
    void nothingAccruesWhileNothingCanHappenButAnEveningsChangeKeepsWaiting() {
        // λ = 1/h from 18:00 to 19:00 UTC, 0 otherwise
        AdaptivePolicy policy = new AdaptivePolicy(
                (e, at) -> at.atOffset(ZoneOffset.UTC).getHour() == 18 ? 1.0 : 0.0, Duration.ofDays(7));
        Tracked quietNight = entry("A", T0.plus(Duration.ofHours(19)));
        Tracked evening = entry("B", T0.plus(Duration.ofHours(18)));
        Instant morning = T0.plus(Duration.ofHours(30));
        assertThat(policy.index(quietNight, morning)).isZero();
        // a change in the evening hour has waited 11.5 h on average by 06:00
        assertThat(policy.index(evening, morning)).isCloseTo(11.5, offset(1e-6));
    }

    @Test
    void aStatusChangeRecomputesTheRate() {
        HazardModel model = new HazardModel(0.02, Duration.ofDays(3), Duration.ofHours(12), 1.0);
        AdaptivePolicy policy = new AdaptivePolicy(model, Duration.ofDays(7));
        // 06:00 UTC is 13:00 in Bangkok: the morning's vans have left the hub, the vans' parcels reach doors
        Instant polled = T0.plus(Duration.ofHours(6));
        Tracked t = entry("A", polled);
        t.status(status(t, CanonicalStatus.IN_TRANSIT)); // at the hub: the vans left this morning
        double atHub = policy.index(t, polled.plus(Duration.ofHours(2)));
        t.status(status(t, CanonicalStatus.PICKED_UP)); // on the van: a delivery is near
        double onVan = policy.index(t, polled.plus(Duration.ofHours(2)));
        assertThat(onVan).isGreaterThan(atHub * 3);
        t.status(status(t, CanonicalStatus.DELIVERED));
        assertThat(policy.index(t, polled.plus(Duration.ofHours(3)))).isZero();
    }

    /**
     * Greedy on the index with constant rates polls at frequencies ∝ √λ (the square-root rule), and detects changes
     * sooner on average than round-robin with the same number of polls.
     */
    @Test
    void greedyOnTheIndexFollowsTheSquareRootRuleAndBeatsRoundRobin() {
        Map<String, Double> lambdas = Map.of("fast", 4.0, "mid", 1.0, "slow", 0.25);
        PollPolicy byIndex = new AdaptivePolicy((e, at) -> lambdas.get(kind(e)), Duration.ofDays(7));
        Sim adaptive = simulate(byIndex, lambdas);
        Sim roundRobin = simulate(new RoundRobinPolicy(), lambdas);

        assertThat(adaptive.polls.get("fast") / adaptive.polls.get("mid")).isCloseTo(2.0, offset(0.1)); // √(4/1)
        assertThat(adaptive.polls.get("mid") / adaptive.polls.get("slow")).isCloseTo(2.0, offset(0.1)); // √(1/0.25)
        assertThat(roundRobin.polls.get("fast") / roundRobin.polls.get("slow")).isCloseTo(1.0, offset(0.02));
        // Σλ/(2f): round-robin's mean delay is ((4 + 1 + 0.25) / 5.25) / (2 x 2/h) = 0.25 h; the square-root
        // rule's is (Σ√λ)² / (2 B Σλ) = 3.5² / (2 x 6 x 5.25) = 0.194 h, 78 % of it.
        assertThat(adaptive.meanDelayHours).isLessThan(roundRobin.meanDelayHours * 0.85);
    }

    static String kind(Tracked e) {
        String ref = e.subscription().reference();
        return ref.substring(0, ref.indexOf('-'));
    }

    record Sim(Map<String, Double> polls, double meanDelayHours) {}

    /**
     * Ten subscriptions of each kind, one look-up a minute for 500 simulated hours (two per subscription per hour),
     * Poisson changes at the given rates; returns the look-ups per kind and the change-weighted mean detection delay.
     */
    static Sim simulate(PollPolicy policy, Map<String, Double> lambdas) {
        SplittableRandom random = new SplittableRandom(42);
        List<Tracked> entries = new ArrayList<>();
        Map<String, List<Instant>> pending = new java.util.HashMap<>();
        Map<String, Instant> nextChange = new java.util.HashMap<>();
        for (String kind : List.of("fast", "mid", "slow")) {
            for (int i = 0; i < 10; i++) {
                String ref = kind + "-" + i;
                entries.add(entry(ref, T0));
                pending.put(ref, new ArrayList<>());
                nextChange.put(ref, T0.plusMillis(exp(random, lambdas.get(kind))));
            }
        }
        Map<String, Double> polls = new java.util.HashMap<>();
        double delay = 0;
        long changes = 0;
        Instant now = T0;
        for (int step = 0; step < 30_000; step++) {
            now = now.plus(Duration.ofMinutes(1));
            for (Tracked t : entries) {
                String ref = t.subscription().reference();
                double lambda = lambdas.get(kind(t));
                while (nextChange.get(ref).isBefore(now)) {
                    pending.get(ref).add(nextChange.get(ref));
                    nextChange.put(ref, nextChange.get(ref).plusMillis(exp(random, lambda)));
                }
            }
            Tracked best = null;
            double bestPriority = -1;
            for (Tracked t : entries) {
                double p = policy.priority(t, now);
                if (p > bestPriority) {
                    bestPriority = p;
                    best = t;
                }
            }
            String ref = best.subscription().reference();
            for (Instant c : pending.get(ref)) {
                delay += Duration.between(c, now).toMillis() / 3_600_000.0;
                changes++;
            }
            pending.get(ref).clear();
            best.state(best.state().tracked(now, "sha-256:x", false));
            polls.merge(kind(best), 1.0, Double::sum);
        }
        return new Sim(polls, delay / changes);
    }

    @Test
    void theBudgetIsSpentWhereTheChangesAre() {
        HazardModel model = new HazardModel(0.02, Duration.ofDays(3), Duration.ofHours(12), 1.0);
        AdaptivePolicy policy = new AdaptivePolicy(model, Duration.ofDays(7));
        List<Tracked> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Tracked t = entry("P" + i, T0);
            t.status(status(t, CanonicalStatus.PICKED_UP)); // on the van: doorstep hours
            entries.add(t);
        }
        Instant threeAm = Instant.parse("2026-11-30T20:00:00Z"); // Tuesday 03:00 in Bangkok
        Instant tenAm = Instant.parse("2026-12-01T03:00:00Z");
        double night = policy.spendWeight(entries, threeAm, threeAm.plus(Duration.ofHours(1)));
        double day = policy.spendWeight(entries, tenAm, tenAm.plus(Duration.ofHours(1)));
        // Σ √λ: at 10:00 each of the ten has λ = 1/2 per hour; at 03:00 only the floor, 2 % of a typical day's rate
        assertThat(day).isCloseTo(10 * Math.sqrt(0.5), offset(1e-9));
        assertThat(night).isCloseTo(10 * Math.sqrt(0.02 / 4), offset(1e-9));
        // a span's weight is the sum of its parts, on the 15-minute grid or not
        Instant odd = tenAm.plus(Duration.ofMinutes(7));
        assertThat(policy.spendWeight(entries, tenAm, odd) + policy.spendWeight(entries, odd, tenAm.plusSeconds(3600)))
                .isCloseTo(day, offset(1e-9));
        assertThat(new RoundRobinPolicy().spendWeight(entries, threeAm, threeAm.plus(Duration.ofHours(1))))
                .as("the baselines keep an even pace")
                .isEqualTo(1.0);
    }

    @Test
    void theEveningAfterTheHoursOfWorkIsWorthTheLookUpsThatFindTheAfternoonsChanges() {
        // λ = 1/h from 10:00 to 18:00 UTC, 0 otherwise; pacing by the mean rate of the 4 h before each instant
        AdaptivePolicy.ChangeRate rate = (e, at) -> {
            int hour = at.atOffset(ZoneOffset.UTC).getHour();
            return hour >= 10 && hour < 18 ? 1.0 : 0.0;
        };
        AdaptivePolicy windowed = new AdaptivePolicy(rate, rate::rate, Duration.ofDays(7), Duration.ofHours(4));
        AdaptivePolicy instant = new AdaptivePolicy(rate, Duration.ofDays(7));
        List<Tracked> entries = List.of(entry("A", T0), entry("B", T0));
        Instant day = T0.plus(Duration.ofHours(15));
        Instant evening = T0.plus(Duration.ofHours(18));
        Instant night = T0.plus(Duration.ofHours(22));
        Duration hour = Duration.ofHours(1);
        // within the hours, as the rate itself: Σ √λ = 2
        assertThat(windowed.spendWeight(entries, day, day.plus(hour))).isCloseTo(2, offset(1e-9));
        assertThat(instant.spendWeight(entries, day, day.plus(hour))).isCloseTo(2, offset(1e-9));
        // 18:00-19:00: nothing new can happen, but the afternoon's changes wait; by the rate at the instant, nothing
        double expected =
                2 * (Math.sqrt(15 / 16.0) + Math.sqrt(14 / 16.0) + Math.sqrt(13 / 16.0) + Math.sqrt(12 / 16.0)) / 4;
        assertThat(windowed.spendWeight(entries, evening, evening.plus(hour))).isCloseTo(expected, offset(1e-9));
        assertThat(instant.spendWeight(entries, evening, evening.plus(hour))).isZero();
        // four hours after the last change can have happened, nothing is left to find
        assertThat(windowed.spendWeight(entries, night, night.plus(hour))).isZero();
        // a span's weight is the sum of its parts, on the 15-minute grid or not
        Instant odd = evening.plus(Duration.ofMinutes(7));
        assertThat(windowed.spendWeight(entries, evening, odd) + windowed.spendWeight(entries, odd, evening.plus(hour)))
                .isCloseTo(expected, offset(1e-9));
    }

    static long exp(SplittableRandom random, double perHour) {
        return (long) (-Math.log(1 - random.nextDouble()) / perHour * 3_600_000);
    }
}
