package io.trackline.pollers.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trackline.events.Carrier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On a compressed clock (a simulated day in minutes) the quota's request timeout is still real time: Bucket4j
 * measures it on the pollers' clock, so the quota gives it that clock's length. Unscaled, every bucket operation
 * slower than the timeout divided by the clock's rate was refused as "PostgreSQL did not answer".
 */
class QuotaScaledClockIT {

    /** 100,000 times real time: the quota's 10 s timeout is 0.1 ms of real time when it is not scaled. */
    static final double RATE = 100_000;

    /** A clock running {@code rate} times faster than real time from {@code start}. */
    static Clock scaled(Instant start, double rate) {
        long origin = System.nanoTime();
        return new Clock() {
            @Override
            public Instant instant() {
                return start.plusNanos((long) ((System.nanoTime() - origin) * rate));
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException("the quota reads instants only");
            }
        };
    }

    @Test
    void aFastClockDoesNotShortenTheRequestTimeout() {
        String account = Quotas.uniqueAccount("scaled");
        MeterRegistry registry = new SimpleMeterRegistry();
        BucketQuota quota = Quotas.instance(
                account,
                QuotaDatabase.pool(),
                scaled(Instant.parse("2026-12-01T03:00:00Z"), RATE),
                RATE,
                Quotas.defaults(),
                Quotas.noCredentials(),
                registry);

        int granted = 0;
        for (int i = 0; i < 20; i++) {
            if (quota.tryTake(Carrier.MRSPEEDY, account)) {
                granted++;
            }
        }
        assertThat(quota.remainingToday(Carrier.MRSPEEDY, account)).isPositive();

        assertThat(QuotaStateIT.count(
                        registry, QuotaMeters.REFUSED, "mrspeedy", account, Map.of("reason", "unavailable")))
                .as("operations of a millisecond or more are no timeout on a clock 100,000 times faster")
                .isZero();
        assertThat(granted).isEqualTo(20);
    }

    @Test
    void theTimeoutIsCountedOnTheClock() {
        assertThat(BucketQuota.onClock(Duration.ofSeconds(5), 240)).isEqualTo(Duration.ofMinutes(20));
        assertThat(BucketQuota.onClock(Duration.ofSeconds(5), 1.0)).isEqualTo(Duration.ofSeconds(5));
    }
}
