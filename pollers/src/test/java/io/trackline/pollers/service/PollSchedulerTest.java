package io.trackline.pollers.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.CanonicalStatus;
import io.trackline.events.Carrier;
import io.trackline.events.ContentDigest;
import io.trackline.events.Source;
import io.trackline.events.Subscription;
import io.trackline.pollers.service.SchedulingFakes.CapturingRawTopic;
import io.trackline.pollers.service.SchedulingFakes.FakeCarrier;
import io.trackline.pollers.service.SchedulingFakes.FakeQuota;
import io.trackline.pollers.service.SchedulingFakes.FakeStatuses;
import io.trackline.pollers.service.SchedulingFakes.InMemoryPollStates;
import io.trackline.pollers.service.SchedulingFakes.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PollSchedulerTest {

    // 10:00 in Bangkok, a Tuesday: carriers are at work
    static final Instant START = Instant.parse("2026-12-01T03:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final FakeCarrier all24 = new FakeCarrier(Carrier.ALL24);
    final FakeStatuses statuses = new FakeStatuses();
    final InMemoryPollStates states = new InMemoryPollStates();
    final CapturingRawTopic raw = new CapturingRawTopic();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FakeQuota quota = new FakeQuota(Long.MAX_VALUE); // no daily limit (all24's), nothing to pace
    PollScheduler scheduler;

    PollScheduler scheduler(Map<String, String> config) {
        scheduler = new PollScheduler(
                clock,
                SchedulingFakes.config(config),
                List.of(all24),
                quota,
                statuses,
                states,
                raw,
                new PollMetrics(registry));
        return scheduler;
    }

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
        }
    }

    static Subscription sub(String ref, Instant at) {
        return new Subscription(Carrier.ALL24, "acme", ref, null, at.atOffset(ZoneOffset.UTC));
    }

    static String id(String ref) {
        return "all24:acme:" + ref;
    }

    ShipmentStatus status(String ref, CanonicalStatus s, Instant lastEventAt) {
        OffsetDateTime at = lastEventAt.atOffset(ZoneOffset.UTC);
        return new ShipmentStatus(id(ref), Carrier.ALL24, "acme", ref, s, at, at, null);
    }

    void own(PollScheduler s, int partition, Subscription... subs) {
        s.assigned(partition);
        for (Subscription sub : subs) {
            s.upserted(partition, sub);
        }
        s.caughtUp(partition);
    }

    @Test
    void nothingIsPolledBeforeThePartitionCaughtUp() {
        PollScheduler s = scheduler(Map.of());
        s.assigned(0);
        s.upserted(0, sub("HS000001", START));
        assertThat(s.tick()).isZero();
        s.caughtUp(0);
        assertThat(s.tick()).isEqualTo(1);
        assertThat(all24.calls("HS000001")).isEqualTo(1);
    }

    @Test
    void anAnswerIsPublishedOnlyWhenItChanged() {
        PollScheduler s = scheduler(Map.of("trackline.pollers.scheduling.min-interval", "1m"));
        own(s, 0, sub("HS000001", START));
        s.tick();
        assertThat(raw.published).hasSize(1);
        assertThat(raw.published.get(0).source()).isEqualTo(Source.POLL);
        assertThat(raw.published.get(0).key()).isEqualTo(id("HS000001"));
        assertThat(raw.published.get(0).contentDigest())
                .isEqualTo(ContentDigest.of(raw.published.get(0).payload()));

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofHours(1));
            s.tick();
        }
        assertThat(all24.calls("HS000001")).isGreaterThan(1);
        assertThat(raw.published).hasSize(1); // the same answer every time

        all24.answer(x -> FakeCarrier.tracked("{\"ref\":\"HS000001\",\"v\":2}"));
        clock.advance(Duration.ofHours(1));
        s.tick();
        assertThat(raw.published).hasSize(2);
        assertThat(new String(raw.published.get(1).payload(), StandardCharsets.UTF_8))
                .contains("\"v\":2");
        assertThat(states.get(id("HS000001")).lastDigest())
                .isEqualTo(raw.published.get(1).contentDigest());
    }

    @Test
    void anAnswerNotStoredIsPublishedAgainByTheNextLookUp() {
        PollScheduler s = scheduler(Map.of());
        own(s, 0, sub("HS000001", START));
        raw.failing = true;
        s.tick();
        assertThat(states.get(id("HS000001")).lastDigest()).isNull();
        raw.failing = false;
        clock.advance(Duration.ofMinutes(5));
        s.tick();
        assertThat(raw.published).hasSize(1);
    }

    @Test
    void aFinalStatusRetiresTheSubscriptionUntilItIsMadeAgain() {
        PollScheduler s = scheduler(Map.of());
        own(s, 0, sub("HS000001", START), sub("HS000002", START));
        s.tick();
        assertThat(all24.total()).isEqualTo(2);

        clock.advance(Duration.ofHours(1));
        statuses.put(status("HS000001", CanonicalStatus.DELIVERED, clock.instant()));
        clock.advance(Duration.ofHours(1));
        for (int i = 0; i < 10; i++) {
            s.tick();
            clock.advance(Duration.ofMinutes(30));
        }
        assertThat(all24.calls("HS000001")).isEqualTo(1);
        assertThat(all24.calls("HS000002")).isGreaterThan(1);
        assertThat(states.get(id("HS000001")).retired()).isEqualTo(RetireReason.FINAL_STATUS);
        assertThat(registry.get("trackline.pollers.subscriptions.retired")
                        .tags("carrier", "all24", "reason", "final_status")
                        .counter()
                        .count())
                .isEqualTo(1);

        // the same subscription again (a replay of the topic): still retired
        s.upserted(0, sub("HS000001", START));
        s.tick();
        assertThat(all24.calls("HS000001")).isEqualTo(1);

        // subscribed anew after it ended: polled again
        statuses.put(
                status("HS000001", CanonicalStatus.RETURNING, clock.instant().minus(Duration.ofHours(2))));
        s.upserted(0, sub("HS000001", clock.instant()));
        s.tick();
        assertThat(all24.calls("HS000001")).isEqualTo(2);
    }

    @Test
    void pollingStopsAfterTheMaximumAgeWithoutNews() {
        PollScheduler s = scheduler(Map.of("trackline.pollers.scheduling.max-age", "2d"));
        own(s, 0, sub("HS000001", START));
        s.tick();
        clock.advance(Duration.ofDays(2).plusMinutes(1));
        s.tick();
        assertThat(states.get(id("HS000001")).retired()).isEqualTo(RetireReason.MAX_AGE);
        assertThat(all24.calls("HS000001")).isEqualTo(1);
    }

    @Test
    void aReferenceNotFoundYetIsAskedAgainLessAndLessOftenThenRetired() {
        PollScheduler s = scheduler(Map.of(
                "trackline.pollers.scheduling.unknown-reference.first-retry", "10m",
                "trackline.pollers.scheduling.unknown-reference.max-retry", "40m",
                "trackline.pollers.scheduling.unknown-reference.retire-after", "3h"));
        all24.answer(x -> PollAnswer.refused(PollAnswer.Outcome.NOT_FOUND, "1350"));
        own(s, 0, sub("HS000001", START));
        Map<Integer, Integer> callsAtMinute = new HashMap<>();
        for (int m = 0; m <= 240; m++) {
            s.tick();
            callsAtMinute.put(m, all24.calls("HS000001"));
            clock.advance(Duration.ofMinutes(1));
        }
        // asked at 0, 10, 30 (20 later), 70 (40), 110, 150, 190: retired at 190 (3h after the first miss)
        assertThat(callsAtMinute.get(9)).isEqualTo(1);
        assertThat(callsAtMinute.get(10)).isEqualTo(2);
        assertThat(callsAtMinute.get(29)).isEqualTo(2);
        assertThat(callsAtMinute.get(30)).isEqualTo(3);
        assertThat(callsAtMinute.get(69)).isEqualTo(3);
        assertThat(callsAtMinute.get(70)).isEqualTo(4);
        assertThat(callsAtMinute.get(110)).isEqualTo(5);
        assertThat(callsAtMinute.get(240)).isEqualTo(7);
        assertThat(states.get(id("HS000001")).retired()).isEqualTo(RetireReason.NOT_FOUND);
        assertThat(raw.published).isEmpty();
    }

    @Test
    void aReferenceFoundAtLastIsPolledAsAnyOther() {
        PollScheduler s = scheduler(Map.of());
        all24.answer(x -> PollAnswer.refused(PollAnswer.Outcome.NOT_FOUND, "1350"));
        own(s, 0, sub("HS000001", START));
        s.tick();
        all24.answer(x -> FakeCarrier.tracked("{\"scanned\":true}"));
        clock.advance(Duration.ofMinutes(15));
        s.tick();
        assertThat(raw.published).hasSize(1);
        PollState state = states.get(id("HS000001"));
        assertThat(state.misses()).isZero();
        assertThat(state.nextDue()).isNull();
        assertThat(state.retired()).isNull();
    }

    @Test
    void anAccountGetsNoMoreLookUpsThanItsQuotaHasLeftNorThanTheTickCap() {
        quota = new FakeQuota(3);
        PollScheduler s = scheduler(Map.of(
                "trackline.pollers.scheduling.max-polls-per-tick", "2",
                "trackline.pollers.scheduling.workers", "1",
                "trackline.pollers.scheduling.pace-daily-budget", "false"));
        own(s, 0, sub("A0001", START), sub("A0002", START), sub("A0003", START), sub("A0004", START));
        assertThat(s.tick()).isEqualTo(2);
        // the client takes the tokens; here the test does, as a client would
        quota.tryTake(Carrier.ALL24, "acme");
        quota.tryTake(Carrier.ALL24, "acme");
        clock.advance(Duration.ofMinutes(1));
        assertThat(s.tick()).isEqualTo(1); // one token left
        quota.tryTake(Carrier.ALL24, "acme");
        clock.advance(Duration.ofMinutes(1));
        assertThat(s.tick()).isZero();
        // the oldest subscriptions went first
        assertThat(all24.log()).containsExactly("A0001", "A0002", "A0003");
    }

    @Test
    void theDailyBudgetIsSpreadOverTheRestOfTheCarriersDay() {
        // 10:00 in Bangkok, 14 h to midnight, 1,400 look-ups left: 100 an hour, 10 per tick of 6 minutes
        quota = new FakeQuota(1_400);
        PollScheduler s = scheduler(Map.of(
                "trackline.pollers.scheduling.max-polls-per-tick", "50",
                "trackline.pollers.scheduling.policy", "round-robin"));
        own(s, 0, subs("P", 40));
        s.tick(); // the first tick counts one tick's worth
        clock.advance(Duration.ofMinutes(6));
        assertThat(s.tick()).isBetween(10, 11); // 1,400 x 6 min / 13 h 54 min
    }

    @Test
    void theAdaptivePolicySpendsTheDailyBudgetWhereTheChangesAre() {
        // 13:00 in Bangkok, 11 h to midnight: the even pace would be 1,400 x 6 min / 11 h, 12 to 13 look-ups in this
        // tick of 6 minutes; the adaptive pace keeps less for the evening, when only the day's last changes are left
        // to find (the pace window), and nothing for the night
        clock.set(Instant.parse("2026-12-01T06:00:00Z"));
        quota = new FakeQuota(1_400);
        PollScheduler day = scheduler(Map.of("trackline.pollers.scheduling.max-polls-per-tick", "50"));
        own(day, 0, subs("P", 40));
        day.tick();
        clock.advance(Duration.ofMinutes(6));
        assertThat(day.tick()).as("in working hours").isGreaterThan(13);
        day.shutdown();

        clock.set(Instant.parse("2026-11-30T19:00:00Z")); // 02:00 in Bangkok: no doorstep work for five hours
        PollScheduler night = scheduler(Map.of("trackline.pollers.scheduling.max-polls-per-tick", "50"));
        own(night, 1, subs("N", 40));
        int spent = night.tick();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(6));
            spent += night.tick();
        }
        // the even pace: 1,400 x 6 min / 22 h, 6.4 a tick, 64 in the hour; by weight a quarter of that
        assertThat(spent).as("in an hour of the night").isBetween(5, 25);
    }

    static Subscription[] subs(String prefix, int n) {
        Subscription[] subs = new Subscription[n];
        for (int i = 0; i < subs.length; i++) {
            subs[i] = sub(String.format("%s%04d", prefix, i), START);
        }
        return subs;
    }

    @Test
    void aRefusalOfTheAccountEndsItsLookUpsForTheTick() {
        PollScheduler s = scheduler(Map.of("trackline.pollers.scheduling.workers", "1"));
        all24.answer(x -> PollAnswer.refused(PollAnswer.Outcome.NO_TOKEN, "no token"));
        own(s, 0, sub("A0001", START), sub("A0002", START), sub("A0003", START));
        s.tick();
        assertThat(all24.total()).isEqualTo(1);
        // nothing was sent, so nothing about the subscriptions changed: they are first in line next time
        assertThat(states.get(id("A0001")).lastPolledAt()).isNull();
    }

    @Test
    void aRateLimitCoolsTheAccountDownAndARevokedKeyStopsIt() {
        PollScheduler s = scheduler(Map.of("trackline.pollers.scheduling.workers", "1"));
        all24.answer(x -> PollAnswer.rateLimited(java.util.Optional.of(Duration.ofSeconds(7)), "429"));
        own(s, 0, sub("A0001", START), sub("A0002", START));
        s.tick();
        assertThat(all24.total()).isEqualTo(1);
        assertThat(quota.refusals).containsExactly("cool-down all24:acme PT7S 429");

        all24.answer(x -> PollAnswer.refused(PollAnswer.Outcome.UNAUTHORIZED, "401"));
        clock.advance(Duration.ofMinutes(1));
        s.tick();
        assertThat(quota.refusals).endsWith("stop all24:acme 401");
        clock.advance(Duration.ofMinutes(1));
        assertThat(s.tick()).as("a stopped account has nothing left today").isZero();
    }

    @Test
    void aShipmentThatBroughtNewsRecentlyIsNotPolled() {
        PollScheduler s = scheduler(Map.of("trackline.pollers.scheduling.recent-news", "30m"));
        own(s, 0, sub("HS000001", START), sub("HS000002", START));
        s.tick();
        clock.advance(Duration.ofHours(1));
        statuses.put(status("HS000001", CanonicalStatus.PICKED_UP, clock.instant()));
        clock.advance(Duration.ofMinutes(1));
        s.tick();
        assertThat(all24.calls("HS000001")).isEqualTo(1);
        assertThat(all24.calls("HS000002")).isEqualTo(2);
    }

    @Test
    void aRevokedPartitionIsNoLongerPolled() {
        PollScheduler s = scheduler(Map.of());
        own(s, 0, sub("HS000001", START));
        own(s, 1, sub("HS000002", START));
        s.tick();
        s.revoked(0);
        assertThat(s.polledPartitions()).containsExactly(1);
        clock.advance(Duration.ofHours(2));
        s.tick();
        assertThat(all24.calls("HS000001")).isEqualTo(1);
        assertThat(all24.calls("HS000002")).isEqualTo(2);
    }

    @Test
    void aTombstoneEndsTheSubscriptionAndItsState() {
        PollScheduler s = scheduler(Map.of());
        own(s, 0, sub("HS000001", START));
        s.tick();
        s.removed(0, id("HS000001"));
        clock.advance(Duration.ofHours(2));
        s.tick();
        assertThat(all24.calls("HS000001")).isEqualTo(1);
        assertThat(states.get(id("HS000001"))).isNull();
    }

    @Test
    void theAdaptivePolicyPollsTheVanBeforeTheHubAndRoundRobinDoesNot() {
        Map<String, Integer> adaptive = vanAndHub("adaptive");
        Map<String, Integer> roundRobin = vanAndHub("round-robin");
        assertThat(adaptive.get("VAN")).isGreaterThan(2 * adaptive.get("HUB"));
        assertThat(Math.abs(roundRobin.get("VAN") - roundRobin.get("HUB"))).isLessThanOrEqualTo(1);
    }

    /** A day from 10:00 Bangkok: one parcel on the van, one at the hub, one look-up per 10 minutes. */
    private Map<String, Integer> vanAndHub(String policy) {
        FakeCarrier carrier = new FakeCarrier(Carrier.ALL24);
        MutableClock c = new MutableClock(START);
        FakeStatuses st = new FakeStatuses();
        PollScheduler s = new PollScheduler(
                c,
                SchedulingFakes.config(Map.of(
                        "trackline.pollers.scheduling.policy", policy,
                        "trackline.pollers.scheduling.max-polls-per-tick", "1",
                        "trackline.pollers.scheduling.min-interval", "1m")),
                List.of(carrier),
                null,
                st,
                new InMemoryPollStates(),
                new CapturingRawTopic(),
                new PollMetrics(new SimpleMeterRegistry()));
        try {
            own(s, 0, sub("VAN", START.minus(Duration.ofHours(1))), sub("HUB", START.minus(Duration.ofHours(1))));
            OffsetDateTime since = START.minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC);
            st.put(new ShipmentStatus(
                    id("VAN"), Carrier.ALL24, "acme", "VAN", CanonicalStatus.PICKED_UP, since, since, null));
            st.put(new ShipmentStatus(
                    id("HUB"), Carrier.ALL24, "acme", "HUB", CanonicalStatus.IN_TRANSIT, since, since, null));
            s.tick();
            s.tick();
            for (int i = 0; i < 60; i++) {
                c.advance(Duration.ofMinutes(10));
                s.tick();
            }
            return carrier.counts();
        } finally {
            s.shutdown();
        }
    }
}
