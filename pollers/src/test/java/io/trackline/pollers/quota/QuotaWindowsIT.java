package io.trackline.pollers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.trackline.events.Carrier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The budgets over their windows on real PostgreSQL, with a test clock: MrSpeedy's rolling 24 h, 247Express's
 * calendar day per key and overall, margins, and state kept by a new instance (a restart).
 */
class QuotaWindowsIT {

    /** 2026-12-01 10:00 in Bangkok and Ho Chi Minh City (+07:00). */
    static final Instant TEN_AM = Instant.parse("2026-12-01T03:00:00Z");

    @Test
    void mrSpeedyNeverPassesTheMarginedFiveThousandInAny24Hours() {
        String account = Quotas.uniqueAccount("rolling");
        // the documented 5,000 a day with the default margin; a per-minute rate far away, so that only the day counts
        Map<Carrier, QuotaPlan.CarrierLimits> limits = Quotas.with(
                Quotas.defaults(),
                Carrier.MRSPEEDY,
                Quotas.limits(1_000_000, OptionalLong.of(5_000), OptionalLong.empty(), 0.10, Map.of()));
        TestClock clock = new TestClock(TEN_AM);
        BucketQuota quota = Quotas.instance(account, clock, limits, Quotas.noCredentials());

        List<Instant> granted = new ArrayList<>();
        for (int hour = 0; hour <= 50; hour++) {
            while (quota.tryTake(Carrier.MRSPEEDY, account)) {
                granted.add(clock.instant());
                assertThat(granted.size()).as("bounded").isLessThan(20_000);
            }
            clock.advance(Duration.ofHours(1));
        }

        int most = QuotaSharedIT.maxInWindow(granted, Duration.ofHours(24));
        assertThat(most).as("grants in any 24 h, both ends included").isEqualTo(4_500);
        // capacity at the start, then the refill of 50 hours: the bucket is used up to what it promises
        assertThat(granted).hasSize(1_125 + 3_375 * 50 / 24);
    }

    @Test
    void express247OverallBudgetIsSharedByEveryKeyAndRenewsAtMidnightInHoChiMinhCity() {
        String a = Quotas.uniqueAccount("key-a");
        String b = Quotas.uniqueAccount("key-b");
        // per key 80 -> 72 a day, overall 100 -> 90: the two keys together get 90, not 144
        Map<Carrier, QuotaPlan.CarrierLimits> limits = Quotas.with(
                Quotas.defaults(),
                Carrier.EXPRESS247,
                Quotas.limits(100_000, OptionalLong.of(80), OptionalLong.of(100), 0.10, Map.of()));
        Instant lateEvening = Instant.parse("2026-12-01T16:00:00Z"); // 23:00 in Ho Chi Minh City
        TestClock clock = new TestClock(lateEvening);
        BucketQuota first = Quotas.instance(a, clock, limits, Quotas.noCredentials());
        BucketQuota second = Quotas.instance(a, clock, limits, Quotas.noCredentials());

        assertThat(takeAll(first, Carrier.EXPRESS247, a)).isEqualTo(72);
        assertThat(first.remainingToday(Carrier.EXPRESS247, b)).isEqualTo(18);
        assertThat(takeAll(second, Carrier.EXPRESS247, b)).isEqualTo(18);
        assertThat(first.accountTokens(Carrier.EXPRESS247, b))
                .as("the key's own day was given back what the overall bucket refused")
                .containsEntry(QuotaPlan.DAILY, 72L - 18L);

        clock.set(Instant.parse("2026-12-01T16:59:59.999Z"));
        assertThat(first.tryTake(Carrier.EXPRESS247, a))
                .as("still the same day")
                .isFalse();
        assertThat(second.tryTake(Carrier.EXPRESS247, b)).isFalse();

        clock.set(Instant.parse("2026-12-01T17:00:00Z")); // midnight in Ho Chi Minh City
        assertThat(first.remainingToday(Carrier.EXPRESS247, a)).isEqualTo(72);
        assertThat(takeAll(second, Carrier.EXPRESS247, b)).isEqualTo(72);
        assertThat(takeAll(first, Carrier.EXPRESS247, a)).isEqualTo(18);
    }

    @Test
    void marginsAreLeftUnused() {
        String account = Quotas.uniqueAccount("margin");
        Map<Carrier, QuotaPlan.CarrierLimits> limits = Quotas.with(
                Quotas.defaults(),
                Carrier.EXPRESS247,
                Quotas.limits(
                        100_000,
                        OptionalLong.of(200_000),
                        OptionalLong.of(3_000_000),
                        0.25,
                        Map.of(account, Quotas.account(OptionalLong.empty(), OptionalLong.of(200)))));
        TestClock clock = new TestClock(TEN_AM);
        BucketQuota quota = Quotas.instance(account, clock, limits, Quotas.noCredentials());

        assertThat(quota.remainingToday(Carrier.EXPRESS247, account)).isEqualTo(150);
        assertThat(takeAll(quota, Carrier.EXPRESS247, account)).isEqualTo(150);
        clock.advance(Duration.ofHours(13)); // 23:00, the same calendar day: no refill
        assertThat(quota.tryTake(Carrier.EXPRESS247, account)).isFalse();
    }

    @Test
    void aRestartedInstanceFindsWhatWasSpent() {
        String account = Quotas.uniqueAccount("restart");
        Map<Carrier, QuotaPlan.CarrierLimits> limits = Quotas.with(
                Quotas.defaults(),
                Carrier.MRSPEEDY,
                Quotas.limits(1_000_000, OptionalLong.of(1_000), OptionalLong.empty(), 0.10, Map.of()));
        TestClock clock = new TestClock(TEN_AM);
        BucketQuota before = Quotas.instance(account, clock, limits, Quotas.noCredentials());
        for (int i = 0; i < 100; i++) {
            assertThat(before.tryTake(Carrier.MRSPEEDY, account)).isTrue();
        }
        long left = before.accountTokens(Carrier.MRSPEEDY, account).get(QuotaPlan.DAILY);
        assertThat(left).isEqualTo(225 - 100);

        BucketQuota after = Quotas.instance(account, clock, limits, Quotas.noCredentials());
        assertThat(after.accountTokens(Carrier.MRSPEEDY, account)).containsEntry(QuotaPlan.DAILY, left);
        assertThat(takeAll(after, Carrier.MRSPEEDY, account)).isEqualTo(125);
    }

    @Test
    void aChangedLimitKeepsWhatWasSpentToday() {
        String account = Quotas.uniqueAccount("reconfigured");
        TestClock clock = new TestClock(TEN_AM);
        BucketQuota before = Quotas.instance(
                account,
                clock,
                Quotas.with(
                        Quotas.defaults(),
                        Carrier.EXPRESS247,
                        Quotas.limits(100_000, OptionalLong.of(100), OptionalLong.of(3_000_000), 0.10, Map.of())),
                Quotas.noCredentials());
        assertThat(takeAll(before, Carrier.EXPRESS247, account)).isEqualTo(90);

        // the contract grows to 200 a day: the restarted instance may take the difference, not a fresh 180
        BucketQuota after = Quotas.instance(
                account,
                clock,
                Quotas.with(
                        Quotas.defaults(),
                        Carrier.EXPRESS247,
                        Quotas.limits(100_000, OptionalLong.of(200), OptionalLong.of(3_000_000), 0.10, Map.of())),
                Quotas.noCredentials());
        assertThat(takeAll(after, Carrier.EXPRESS247, account)).isEqualTo(90);
    }

    /** Takes until refused; the count taken. */
    static int takeAll(BucketQuota quota, Carrier carrier, String account) {
        int taken = 0;
        while (quota.tryTake(carrier, account)) {
            taken++;
            assertThat(taken).as("bounded").isLessThan(100_000);
        }
        return taken;
    }
}
