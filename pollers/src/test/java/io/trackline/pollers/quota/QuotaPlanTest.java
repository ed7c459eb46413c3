package io.trackline.pollers.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bucket4j.Bandwidth;
import io.trackline.events.Carrier;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The budgets and bucket shapes the defaults give, and the arithmetic that keeps each within its window. */
class QuotaPlanTest {

    static final long MINUTE = Duration.ofMinutes(1).toNanos();
    static final long DAY = Duration.ofDays(1).toNanos();

    final QuotaPlan plan = new QuotaPlan(Quotas.defaults());

    @Test
    void marginsComeOffEveryLimitExactly() {
        assertThat(QuotaPlan.lessMargin(5_000, 0.10)).isEqualTo(4_500);
        assertThat(QuotaPlan.lessMargin(100, 0.10)).isEqualTo(90);
        assertThat(QuotaPlan.lessMargin(200_000, 0.10)).isEqualTo(180_000);
        assertThat(QuotaPlan.lessMargin(3_000_000, 0.10)).isEqualTo(2_700_000);
        assertThat(QuotaPlan.lessMargin(7, 0.5)).isEqualTo(3);
        assertThat(QuotaPlan.lessMargin(10, 0)).isEqualTo(10);
    }

    @Test
    void mrSpeedyKeepsCapacityPlusRefillWithinBothRollingLimits() {
        QuotaPlan.Budget budget = plan.budget(Carrier.MRSPEEDY, "demo");
        assertThat(budget.perMinute()).isEqualTo(90);
        assertThat(budget.daily()).hasValue(4_500);
        assertThat(budget.day()).isEqualTo(QuotaPlan.Day.ROLLING);

        Bandwidth[] bandwidths = plan.accountBucket(budget).getBandwidths();
        Bandwidth minute = bandwidths[0];
        Bandwidth day = bandwidths[1];
        assertThat(minute.getId()).isEqualTo(QuotaPlan.PER_MINUTE);
        assertThat(minute.isGready()).isTrue();
        assertThat(minute.getRefillPeriodNanos()).isEqualTo(MINUTE);
        assertThat(minute.getCapacity() + minute.getRefillTokens()).isEqualTo(90);
        assertThat(day.getId()).isEqualTo(QuotaPlan.DAILY);
        assertThat(day.isGready()).isTrue();
        assertThat(day.getRefillPeriodNanos()).isEqualTo(DAY);
        assertThat(day.getCapacity()).isEqualTo(1_125);
        assertThat(day.getCapacity() + day.getRefillTokens()).isEqualTo(4_500).isLessThanOrEqualTo(5_000);
    }

    @Test
    void express247HasACalendarDayPerKeyAndOverallAndARate() {
        QuotaPlan.Budget budget = plan.budget(Carrier.EXPRESS247, "demo");
        assertThat(budget.daily()).hasValue(180_000);
        assertThat(budget.day()).isEqualTo(QuotaPlan.Day.CALENDAR);
        assertThat(budget.zone()).isEqualTo(ZoneId.of("Asia/Ho_Chi_Minh"));

        Bandwidth day = plan.accountBucket(budget).getBandwidths()[1];
        assertThat(day.isIntervallyAligned()).isTrue();
        assertThat(day.getCapacity()).isEqualTo(180_000);
        assertThat(day.getRefillTokens()).isEqualTo(180_000);
        assertThat(day.getRefillPeriodNanos()).isEqualTo(DAY);
        Instant anchor = Instant.ofEpochMilli(day.getTimeOfFirstRefillMillis());
        assertThat(anchor)
                .isEqualTo(LocalDate.of(2000, 1, 1)
                        .atStartOfDay(ZoneId.of("Asia/Ho_Chi_Minh"))
                        .toInstant());

        assertThat(plan.overall(Carrier.EXPRESS247)).hasValue(2_700_000);
        Bandwidth overall = plan.overallBucket(Carrier.EXPRESS247).orElseThrow().getBandwidths()[0];
        assertThat(overall.isIntervallyAligned()).isTrue();
        assertThat(overall.getCapacity()).isEqualTo(2_700_000);
        assertThat(plan.overallBucket(Carrier.MRSPEEDY)).isEmpty();
        assertThat(plan.overallBucket(Carrier.ALL24)).isEmpty();
    }

    @Test
    void all24HasARateOnlyThatNeverPassesTwentyInASecond() {
        QuotaPlan.Budget budget = plan.budget(Carrier.ALL24, "demo");
        assertThat(budget.daily()).isEmpty();
        Bandwidth[] bandwidths = plan.accountBucket(budget).getBandwidths();
        assertThat(bandwidths).hasSize(1);
        Bandwidth minute = bandwidths[0];
        assertThat(minute.getCapacity()).isEqualTo(9);
        assertThat(minute.getCapacity() + minute.getRefillTokens()).isEqualTo(540);
        // any second: what the bucket holds plus a second's refill, within carrier-sim's 20 less the margin
        double perSecond = minute.getCapacity() + minute.getRefillTokens() / 60.0;
        assertThat(perSecond).isLessThanOrEqualTo(18.0);
    }

    @Test
    void anAccountsOwnLimitsReplaceTheCarriersAndKeepItsMargin() {
        QuotaPlan own = new QuotaPlan(Quotas.with(
                Quotas.defaults(),
                Carrier.EXPRESS247,
                Quotas.limits(
                        600,
                        OptionalLong.of(200_000),
                        OptionalLong.of(3_000_000),
                        0.20,
                        Map.of("big", Quotas.account(OptionalLong.of(1_000), OptionalLong.of(500_000))))));
        assertThat(own.budget(Carrier.EXPRESS247, "big").daily()).hasValue(400_000);
        assertThat(own.budget(Carrier.EXPRESS247, "big").perMinute()).isEqualTo(800);
        assertThat(own.budget(Carrier.EXPRESS247, "other").daily()).hasValue(160_000);
        assertThat(own.overall(Carrier.EXPRESS247)).hasValue(2_400_000);
        assertThat(own.configuredAccounts(Carrier.EXPRESS247)).containsExactly("big");
    }

    @Test
    void limitsThatCannotBeABucketFailAtStart() {
        assertThatThrownBy(() -> Quotas.limits(100, OptionalLong.empty(), OptionalLong.empty(), 1.0, Map.of()))
                .hasMessageContaining("margin");
        assertThatThrownBy(() -> Quotas.limits(100, OptionalLong.empty(), OptionalLong.empty(), -0.1, Map.of()))
                .hasMessageContaining("margin");
        QuotaPlan tiny = new QuotaPlan(Quotas.with(
                Quotas.defaults(),
                Carrier.ALL24,
                Quotas.limits(1, OptionalLong.empty(), OptionalLong.empty(), 0.10, Map.of())));
        assertThatThrownBy(tiny::validate).hasMessageContaining("per_minute budget of 0");
    }

    @Test
    void theDayEndsAtTheCarriersMidnight() {
        Instant lateInHoChiMinh = Instant.parse("2026-12-01T16:30:00Z"); // 23:30 +07:00
        assertThat(QuotaPlan.nextMidnight(Carrier.EXPRESS247, lateInHoChiMinh))
                .isEqualTo(Instant.parse("2026-12-01T17:00:00Z"));
        assertThat(QuotaPlan.nextMidnight(Carrier.ALL24, Instant.parse("2026-12-01T17:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-02T17:00:00Z"));
    }

    @Test
    void whatARollingBandwidthCanStillGiveTodayCountsItsRefillUntilMidnight() {
        Bandwidth day =
                plan.accountBucket(plan.budget(Carrier.MRSPEEDY, "demo")).getBandwidths()[1];
        assertThat(QuotaPlan.deliverableBefore(day, 100, DAY / 2)).isEqualTo(100 + 3_375 / 2);
        Bandwidth calendar =
                plan.accountBucket(plan.budget(Carrier.EXPRESS247, "demo")).getBandwidths()[1];
        assertThat(QuotaPlan.deliverableBefore(calendar, 100, DAY / 2)).isEqualTo(100);
    }

    @Test
    void reasonsBecomeFewTagValues() {
        assertThat(Reasons.coolDown("APIKEY_LIMIT")).isEqualTo(Reasons.CoolDown.QUOTA_EXHAUSTED);
        assertThat(Reasons.coolDown("429 Retry-After 3")).isEqualTo(Reasons.CoolDown.RATE_LIMITED);
        assertThat(Reasons.coolDown("requests_limit_exceeded")).isEqualTo(Reasons.CoolDown.RATE_LIMITED);
        assertThat(Reasons.coolDown("something new")).isEqualTo(Reasons.CoolDown.OTHER);
        assertThat(Reasons.stop("401")).isEqualTo(Reasons.Stop.UNAUTHORIZED);
        assertThat(Reasons.stop("APIKEY_NOT_FOUND")).isEqualTo(Reasons.Stop.UNAUTHORIZED);
        assertThat(Reasons.stop("invalid_auth_token")).isEqualTo(Reasons.Stop.UNAUTHORIZED);
        assertThat(Reasons.clean("line\nbreak")).isEqualTo("line break");
        assertThat(Reasons.clean("x".repeat(500))).hasSize(Reasons.MAX_LENGTH);
    }
}
