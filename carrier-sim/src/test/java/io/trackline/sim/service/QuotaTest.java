package io.trackline.sim.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The carriers' limits, exactly: rolling windows and calendar days. */
class QuotaTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aRollingWindowAdmitsTheLimitInAnyWindowAndFreesUpAsTheOldestLeaves() {
        RollingWindowQuota q = new RollingWindowQuota("mrspeedy", "a", "per-minute", 3, Duration.ofMinutes(1));
        q.accept(T0);
        q.accept(T0.plusSeconds(20));
        q.accept(T0.plusSeconds(40));
        assertThat(q.admits(T0.plusSeconds(59))).isFalse();
        assertThat(q.freeAt(T0.plusSeconds(59))).isEqualTo(T0.plusSeconds(60));
        assertThat(q.admits(T0.plusSeconds(60))).isTrue();
        q.accept(T0.plusSeconds(60));
        assertThat(q.admits(T0.plusSeconds(79))).isFalse();
        assertThat(q.used(T0.plusSeconds(79))).isEqualTo(3);
        assertThat(q.used(T0.plusSeconds(200))).isZero();
    }

    @Test
    void aZeroLimitAdmitsNothing() {
        RollingWindowQuota q = new RollingWindowQuota("all24", "a", "rate", 0, Duration.ofSeconds(1));
        assertThat(q.admits(T0)).isFalse();
    }

    @Test
    void aCalendarDayStartsAgainAtLocalMidnight() {
        ZoneId saigon = ZoneId.of("Asia/Ho_Chi_Minh");
        Instant lateEvening = Instant.parse("2026-11-24T16:59:00Z"); // 23:59 in Ho Chi Minh City
        CalendarDayQuota q = new CalendarDayQuota("247express", "a", "per-day", 2, saigon);
        q.accept(lateEvening);
        q.accept(lateEvening);
        assertThat(q.admits(lateEvening.plusSeconds(59))).isFalse();
        assertThat(q.freeAt(lateEvening)).isEqualTo(Instant.parse("2026-11-24T17:00:00Z"));
        assertThat(q.admits(lateEvening.plusSeconds(60))).isTrue();
        assertThat(q.used(lateEvening.plusSeconds(60))).isZero();
    }

    @Test
    void overrunsAndRefusalsDuringTheCooldownAreCounted() {
        RollingWindowQuota q = new RollingWindowQuota("all24", "a", "rate", 1, Duration.ofSeconds(10));
        q.accept(T0);
        q.refuse(T0.plusSeconds(1));
        q.refuse(T0.plusSeconds(2));
        q.accept(T0.plusSeconds(10));
        assertThat(q.accepted()).isEqualTo(2);
        assertThat(q.overruns()).isEqualTo(2);
        assertThat(q.refusedDuringCooldown()).isEqualTo(1);
    }
}
